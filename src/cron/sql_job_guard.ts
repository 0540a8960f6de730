// Checks a SQL job against the rules before it runs (and when it is created or changed):
// first its text (sql_job_rules.ts), then what SQLite compiles it to (sql_job_bytecode.ts).
// The EXPLAINs run on a connection that never commits a write: an EXPLAIN of a write stays
// "in progress" in libSQL until its statement is garbage-collected, and a connection with
// one cannot COMMIT. So on a file the worker keeps a scratch connection for them; a libSQL
// server finishes each statement per request; ":memory:", which has only the one
// connection, gets the text check alone.
import type { SqlJobRunner } from "../deps";
import { fieldError } from "../errors";
import { splitSqlStatements } from "../lib/sql_split";
import { bytecodeProblem, writesDatabase, type Catalogue, type ExplainRow } from "./sql_job_bytecode";
import { namesAllowedVtab, staticProblem } from "./sql_job_rules";

/** SqlExecutor is anything that runs one statement and answers its rows: a client, a transaction, the worker's connection. */
export interface SqlExecutor {
  execute(sql: string): Promise<{ rows: Record<string, unknown>[] }>;
}

/** SqlJobRefused is a job the rules do not allow; its message says why. */
export class SqlJobRefused extends Error {}

/** loadCatalogue reads which table owns each root page, and the collections' names. */
async function loadCatalogue(exec: SqlExecutor): Promise<Catalogue> {
  const pages = await exec.execute("SELECT rootpage, tbl_name FROM sqlite_schema WHERE rootpage > 0");
  const collections = await exec.execute("SELECT name FROM _collections");
  return {
    // Page 1 is the schema table itself, which has no row of its own.
    tableOfRootPage: new Map([
      [1, "sqlite_schema"],
      ...pages.rows.map((r): [number, string] => [Number(r.rootpage), String(r.tbl_name)]),
    ]),
    collections: new Set(collections.rows.map((r) => String(r.name).toLowerCase())),
  };
}

/** CheckedSqlJob is a job the rules allow: its statements, and whether any of them writes (true when only the text was checked). */
export interface CheckedSqlJob {
  statements: string[];
  writes: boolean;
}

/** checkSqlJob answers the job's statements, or throws SqlJobRefused naming the rule broken; without `explainOn` only the text is checked; a statement SQLite cannot compile throws SQLite's own error. */
export async function checkSqlJob(sql: string, explainOn: SqlExecutor | null): Promise<CheckedSqlJob> {
  const statements = splitSqlStatements(sql);
  for (const [i, s] of statements.entries()) refuseIf(staticProblem(s), i, statements.length);
  if (!explainOn) return { statements, writes: true };
  const catalogue = await loadCatalogue(explainOn);
  let writes = false;
  for (const [i, statement] of statements.entries()) {
    const program = (await explainOn.execute(`EXPLAIN ${statement}`)).rows as unknown as ExplainRow[];
    refuseIf(bytecodeProblem(program, catalogue, namesAllowedVtab(statement)), i, statements.length);
    writes ||= writesDatabase(program);
  }
  return { statements, writes };
}

/** assertSqlJobAllowed refuses a job that breaks the rules with a 400 naming `sql`; SQL that does not compile yet (a table created later) is left to fail its run. */
export async function assertSqlJobAllowed(runner: SqlJobRunner, sql: string): Promise<void> {
  try {
    await runner.check(sql);
  } catch (err) {
    if (err instanceof SqlJobRefused) throw fieldError("sql", "not_allowed", err.message);
  }
}

function refuseIf(problem: string | null, index: number, count: number): void {
  if (problem) throw new SqlJobRefused(count > 1 ? `statement ${index + 1}: ${problem}` : problem);
}
