// What a SQL cron job may do, checked on its text: read and write collection tables with
// SELECT, INSERT, UPDATE, DELETE, REPLACE and WITH, and nothing else. The same check runs on
// every backend; on a libSQL server, where no authorizer can be set, it is the first of two
// (the second reads the compiled program: sql_job_bytecode.ts).
import { tokenizeSql, type SqlToken } from "../lib/sql_tokens";

const STATEMENTS = new Set(["SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "WITH", "VALUES"]);

const REFUSED_STATEMENTS: Record<string, string> = {
  ATTACH: "ATTACH is not allowed: a job reaches only this database's collections",
  DETACH: "DETACH is not allowed: a job reaches only this database's collections",
  PRAGMA: "PRAGMA is not allowed: a job cannot change the database's settings",
  CREATE: "schema changes (CREATE, DROP, ALTER) are not allowed: collections are changed through the API",
  DROP: "schema changes (CREATE, DROP, ALTER) are not allowed: collections are changed through the API",
  ALTER: "schema changes (CREATE, DROP, ALTER) are not allowed: collections are changed through the API",
  BEGIN: "transaction control is not allowed: the job already runs as one transaction",
  COMMIT: "transaction control is not allowed: the job already runs as one transaction",
  END: "transaction control is not allowed: the job already runs as one transaction",
  ROLLBACK: "transaction control is not allowed: the job already runs as one transaction",
  SAVEPOINT: "transaction control is not allowed: the job already runs as one transaction",
  RELEASE: "transaction control is not allowed: the job already runs as one transaction",
};

/** REFUSED_NAMES are functions and virtual tables that reach files, extensions or the engine itself; naming one anywhere refuses the job. */
export const REFUSED_NAMES = new Set([
  "readfile",
  "writefile",
  "fsdir",
  "lsmode",
  "load_extension",
  "sha3_query",
  "fts3_tokenizer",
  "zipfile",
  "sqlar_compress",
  "sqlar_uncompress",
  "dbstat",
  "carray",
  "fts3tokenize",
  "fts5vocab",
  "fts4aux",
]);

/** ALLOWED_VTABS are the table-valued functions a job may read from (they compute rows, they touch no table). */
export const ALLOWED_VTABS = new Set(["json_each", "json_tree", "jsonb_each", "jsonb_tree", "generate_series"]);

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

/** staticProblem answers why one statement may not run as a job, or null; it never touches the database. */
export function staticProblem(statement: string): string | null {
  let tokens: SqlToken[];
  try {
    tokens = tokenizeSql(statement);
  } catch (err) {
    return `cannot be read: ${(err as Error).message}`;
  }
  const first = tokens[0];
  if (!first) return null;
  const keyword = first.kind === "word" ? first.text.toUpperCase() : "";
  if (!STATEMENTS.has(keyword)) {
    return (
      REFUSED_STATEMENTS[keyword] ??
      `${keyword || first.text} statements are not allowed: a job may run SELECT, INSERT, UPDATE, DELETE, REPLACE and WITH`
    );
  }
  for (const token of tokens) {
    if (token.kind === "punct" && token.text === ";") return "holds more than one statement where one was expected";
    const problem = nameProblem(token);
    if (problem) return problem;
  }
  return null;
}

/** namesAllowedVtab tells whether a statement names a table-valued function a job may use (so its virtual-table reads are expected). */
export function namesAllowedVtab(statement: string): boolean {
  try {
    return tokenizeSql(statement).some(
      (t) => (t.kind === "word" || t.kind === "quoted") && ALLOWED_VTABS.has(t.text.toLowerCase()),
    );
  } catch {
    return false;
  }
}

function nameProblem(token: SqlToken): string | null {
  const name = token.text.toLowerCase();
  if (token.kind === "string") {
    // SQLite takes a string as a table name where a name is expected ("FROM 'fsdir'").
    return REFUSED_NAMES.has(name)
      ? `uses ${token.text}, which SQL jobs may not use: it reaches files, extensions or the engine`
      : null;
  }
  if (token.kind !== "word" && token.kind !== "quoted") return null;
  if (name.startsWith("_"))
    return `uses ${token.text}: names starting with _ are hookd's own tables, which SQL jobs cannot read or write`;
  if (name.startsWith("sqlite_") || name.startsWith("sqlite3"))
    return `uses ${token.text}: the database's own tables and settings are out of a job's reach`;
  if (name.startsWith("pragma_")) return `uses ${token.text}: PRAGMA functions are not allowed`;
  if (REFUSED_NAMES.has(name))
    return `uses ${token.text}, which SQL jobs may not use: it reaches files, extensions or the engine`;
  return null;
}
