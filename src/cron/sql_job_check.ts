// Checks a SQL job before each run (and when it is created or changed): each statement's first
// keyword (sql_job_rules.ts), then the program SQLite compiles it to (sql_job_program.ts). The
// compiling is done by a SqlCompiler: on a libSQL server the server itself, on an embedded
// database a private connection holding a copy of the schema (sql_job_compilers.ts), so an
// EXPLAIN never runs on a connection that must commit (libSQL keeps an EXPLAIN of a write "in
// progress" until it is garbage-collected, and such a connection cannot COMMIT).
import type { SqlJobRunner } from "../deps";
import { fieldError } from "../errors";
import { splitSqlStatements } from "../lib/sql_split";
import { programProblem, writesDatabase, type Catalogue, type ExplainRow } from "./sql_job_program";
import { keywordProblem } from "./sql_job_rules";

/** SqlJobRefused is a job the rules do not allow; its message says why. */
export class SqlJobRefused extends Error {}

/** Compiled is what a compiler answers for a job's statements, all from one schema version. */
export interface Compiled {
  schemaVersion: number;
  catalogue: Catalogue;
  programs: ExplainRow[][];
}

/** SqlCompiler compiles statements (EXPLAIN) on one connection and one schema version; a statement SQLite cannot compile throws SQLite's error. */
export interface SqlCompiler {
  compile(statements: string[]): Promise<Compiled>;
  close(): void;
}

/** CheckedSqlJob is a job the rules allow: its statements, whether any of them writes, and the schema version they were checked on. */
export interface CheckedSqlJob {
  statements: string[];
  writes: boolean;
  schemaVersion: number;
}

/** checkSqlJob answers the job's statements, or throws SqlJobRefused naming the rule broken. */
export async function checkSqlJob(sql: string, compiler: SqlCompiler): Promise<CheckedSqlJob> {
  const statements = splitSqlStatements(sql);
  if (statements.length === 0) throw new SqlJobRefused("holds no statement");
  // Before SQLite sees anything: a PRAGMA takes effect while it is being compiled.
  for (const [i, s] of statements.entries()) refuseIf(keywordProblem(s), i, statements.length);
  const { schemaVersion, catalogue, programs } = await compiler.compile(statements).catch((err) => {
    // Text SQLite cannot parse never will; other errors (a table created later) are the run's.
    if (SYNTAX_ERROR.test(message(err))) throw new SqlJobRefused(`SQLite cannot parse it: ${message(err)}`);
    throw err;
  });
  for (const [i, program] of programs.entries()) refuseIf(programProblem(program, catalogue), i, statements.length);
  return { statements, writes: programs.some(writesDatabase), schemaVersion };
}

/** assertSqlJobAllowed refuses a job that breaks the rules with a 400 naming `sql`; SQL that does not compile yet (a table created later) is left to fail its run. */
export async function assertSqlJobAllowed(runner: SqlJobRunner, sql: string): Promise<void> {
  try {
    await runner.check(sql);
  } catch (err) {
    if (err instanceof SqlJobRefused) throw fieldError("sql", "not_allowed", err.message);
  }
}

// SQLite's own messages, and a libSQL server's, for text that is not SQL at all.
const SYNTAX_ERROR = /syntax error|unrecognized token|incomplete input|SQL_PARSE_ERROR/;

function message(err: unknown): string {
  return (err as Error)?.message ?? String(err);
}

function refuseIf(problem: string | null, index: number, count: number): void {
  if (problem) throw new SqlJobRefused(count > 1 ? `statement ${index + 1}: ${problem}` : problem);
}
