// What a SQL cron job may do, as allow-lists that SQLite's own compiled program is held to
// (sql_job_program.ts): read and write collection tables, call the functions below, read the
// table-valued functions below; nothing else. The only thing read from the text itself is a
// statement's first keyword, because a PRAGMA compiles to constant rows (its effect happens
// while it is prepared), so it must be refused before SQLite ever sees it.

/** STATEMENT_KEYWORDS are the statements a job may run. */
export const STATEMENT_KEYWORDS = new Set(["SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "WITH", "VALUES"]);

/** ALLOWED_VTABS are the table-valued functions a job may read (they compute rows and touch no table). */
export const ALLOWED_VTABS: Record<string, string> = {
  json_each: "SELECT * FROM json_each('[]')",
  json_tree: "SELECT * FROM json_tree('[]')",
  jsonb_each: "SELECT * FROM jsonb_each('[]')",
  jsonb_tree: "SELECT * FROM jsonb_tree('[]')",
  generate_series: "SELECT * FROM generate_series(1, 1)",
};

/** ALLOWED_FUNCTIONS are the SQL functions a job may call: SQLite's core, date, math, JSON, aggregate and window functions, and libSQL's pure extras. */
export const ALLOWED_FUNCTIONS = new Set(
  `abs changes char coalesce concat concat_ws format glob hex ifnull iif if instr last_insert_rowid length like likelihood
  likely lower ltrim max min nullif octet_length printf quote random randomblob replace round rtrim sign soundex substr
  substring total_changes trim typeof unhex unicode unlikely upper zeroblob subtype last_rows_affected
  date time datetime julianday unixepoch strftime timediff current_date current_time current_timestamp
  avg count group_concat string_agg sum total median mode stdev variance lower_quartile upper_quartile
  row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
  acos acosh asin asinh atan atan2 atn2 atanh ceil ceiling cos cosh cot coth degrees exp floor ln log log10 log2 mod pi pow
  power radians sin sinh sqrt square tan tanh trunc
  json jsonb json_array jsonb_array json_array_length json_error_position json_extract jsonb_extract json_insert
  jsonb_insert json_object jsonb_object json_patch jsonb_patch json_pretty json_quote json_remove jsonb_remove
  json_replace jsonb_replace json_set jsonb_set json_type json_valid json_group_array jsonb_group_array
  json_group_object jsonb_group_object -> ->>
  charindex leftstr rightstr padl padr padc proper replicate reverse strfilter difference regexp regexpi
  uuid uuid_str uuid_blob sha3
  vector vector8 vector16 vector32 vector64 vector1bit vectorb16 vector_extract vector_distance_cos vector_distance_l2`.split(
    /\s+/,
  ),
);

/**
 * ALLOWED_OPCODES are the VDBE instructions a job's program may hold: reading and writing
 * rows, expressions, sorting, subqueries, triggers and the allowed virtual tables. Anything
 * else (schema changes, transaction control, pragmas' and VACUUM's instructions, writes to a
 * virtual table, instructions a newer SQLite adds) refuses the job. The ones that name a
 * table, a function or a virtual table are checked further in sql_job_program.ts.
 */
export const ALLOWED_OPCODES = new Set(
  `Init Goto Gosub Return InitCoroutine Yield EndCoroutine BeginSubrtn Halt HaltIfNull Once Jump If IfNot IfPos IfNotZero
  DecrJumpZero IsNull NotNull IsType IsTrue ZeroOrNull IfNullRow Not And Or Eq Ne Lt Le Gt Ge ElseEq Compare Permutation
  Integer Int64 Real String String8 Null SoftNull Blob Move Copy SCopy IntCopy ResultRow CollSeq AddImm RealAffinity
  Cast Affinity TypeCheck MakeRecord Count Column Offset Add Subtract Multiply Divide Remainder Concat BitAnd BitOr
  BitNot ShiftLeft ShiftRight MustBeInt Transaction OpenRead OpenWrite ReopenIdx OpenDup OpenAutoindex OpenEphemeral
  OpenPseudo SorterOpen Close ColumnsUsed SeekLT SeekLE SeekGE SeekGT SeekRowid SeekScan SeekHit SeekEnd NotExists
  NotFound Found NoConflict IfNoHope IfNotOpen IfSmaller Last Rewind Next Prev Sort SorterSort SorterNext SorterInsert
  SorterData SorterCompare ResetSorter IdxLE IdxGT IdxLT IdxGE IdxInsert IdxDelete IdxRowid DeferredSeek FinishSeek
  Sequence SequenceTest NewRowid Insert Delete RowData RowCell Rowid NullRow ResetCount Clear RowSetAdd RowSetRead
  RowSetTest Program Param FkCounter FkIfZero FkCheck MemMax OffsetLimit Function PureFunc AggStep AggStep1 AggValue
  AggFinal AggInverse ClrSubtype GetSubtype SetSubtype Filter FilterAdd VOpen VFilter VColumn VNext VInitIn
  VPreparedSql CursorHint ReleaseReg Trace Noop Explain Abortable`.split(/\s+/),
);

/** FUNCTION_OPCODES call the function their P4 names ("name(argc)"). */
export const FUNCTION_OPCODES = new Set([
  "Function",
  "PureFunc",
  "AggStep",
  "AggStep1",
  "AggValue",
  "AggFinal",
  "AggInverse",
]);

/**
 * statementKeyword answers a statement's first keyword (upper-cased), or null when it does not
 * start with one. It skips what SQLite's tokenizer (tokenize.c) skips before the first token:
 * spaces (tab, newline, form feed, carriage return, space), `--` comments to the end of the
 * line and `/* … *\/` comments. Anything else first (a `;`, a quote, a parameter) answers null,
 * which refuses the statement: where this reading and SQLite's could differ, it refuses.
 */
export function statementKeyword(sql: string): string | null {
  let i = 0;
  for (;;) {
    const c = sql[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\f" || c === "\r") i++;
    else if (c === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else break;
  }
  const word = /^[A-Za-z]+/.exec(sql.slice(i))?.[0];
  if (!word) return null;
  // An identifier character right after the letters makes a longer name, not this keyword.
  const next = sql.charCodeAt(i + word.length);
  if (next >= 0x80 || /[A-Za-z0-9_$]/.test(sql[i + word.length] ?? "")) return null;
  return word.toUpperCase();
}

/** keywordProblem answers why a statement's kind may not run as a job, or null. */
export function keywordProblem(sql: string): string | null {
  const keyword = statementKeyword(sql);
  if (keyword && STATEMENT_KEYWORDS.has(keyword)) return null;
  const said = keyword ?? "a statement that does not start with a keyword";
  if (keyword === "PRAGMA") return "PRAGMA is not allowed: a job cannot read or change the database's settings";
  if (keyword === "ATTACH" || keyword === "DETACH")
    return `${keyword} is not allowed: a job reaches only this database's collections`;
  if (keyword === "VACUUM") return "VACUUM is not allowed: it rewrites the whole database, or copies it to a file";
  if (keyword && ["CREATE", "DROP", "ALTER", "REINDEX", "ANALYZE"].includes(keyword))
    return `schema changes (${keyword}) are not allowed: collections are changed through the API`;
  if (keyword && ["BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"].includes(keyword))
    return "transaction control is not allowed: the job already runs as one transaction";
  return `${said} is not allowed: a job may run SELECT, INSERT, UPDATE, DELETE, REPLACE, WITH and VALUES`;
}
