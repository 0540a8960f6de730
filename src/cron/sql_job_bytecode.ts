// The second check of a SQL job, on what SQLite compiled rather than on what was written:
// `EXPLAIN <statement>` lists the program, so every table it opens (by root page), every
// function it calls and every schema or connection change it would make is visible,
// whatever quoting or comments the text used. It works the same on the embedded file and
// on a libSQL server. The programs of hookd's own capture triggers (`_capture_*`), which
// run inside the job's writes and insert into _webhook_logs, are listed too and let through.
import { ALLOWED_FUNCTIONS } from "./sql_job_rules";

/** ExplainRow is one row of EXPLAIN's answer. */
export interface ExplainRow {
  addr: number;
  opcode: string;
  p1: number;
  p2: number;
  p3: number;
  p4: string | null;
  p5: number;
}

/** Catalogue says which table each root page belongs to, and which tables are collections (lower-cased names). */
export interface Catalogue {
  tableOfRootPage: Map<number, string>;
  collections: Set<string>;
}

// Opcodes that change the schema, the connection or the file, or write a virtual table.
const REFUSED_OPCODES = new Set([
  "ParseSchema",
  "CreateBtree",
  "Destroy",
  "DropTable",
  "DropIndex",
  "DropTrigger",
  "SqlExec",
  "VCreate",
  "VDestroy",
  "VUpdate",
  "VBegin",
  "VRename",
  "JournalMode",
  "Vacuum",
  "IncrVacuum",
  "Checkpoint",
  "AutoCommit",
  "Savepoint",
  "SetCookie",
  "ReadCookie",
  "LoadAnalysis",
  "IntegrityCk",
  "Expire",
  "Pagecount",
  "MaxPgcnt",
  "TableLock",
]);
const OPEN_OPCODES = new Set(["OpenRead", "OpenWrite", "ReopenIdx"]);
const FUNCTION_OPCODES = new Set([
  "Function",
  "PureFunc",
  "Function0",
  "PureFunc0",
  "AggStep",
  "AggStep1",
  "AggFinal",
  "AggValue",
  "AggInverse",
]);
const P2_IS_REGISTER = 0x10;

/** bytecodeProblem answers why a compiled statement may not run as a job, or null; `vtabsExpected` says the text named an allowed table-valued function. */
export function bytecodeProblem(rows: ExplainRow[], catalogue: Catalogue, vtabsExpected: boolean): string | null {
  let trigger: string | null = null;
  for (const [i, op] of rows.entries()) {
    // Each trigger program is listed after the main one, restarting at address 0.
    if (op.addr === 0 && i > 0) trigger = /^-- TRIGGER (.+)$/.exec(op.p4 ?? "")?.[1] ?? "an unnamed program";
    if (trigger?.startsWith("_capture_")) continue;
    const problem = opProblem(op, catalogue, vtabsExpected);
    if (problem) return trigger ? `${problem} (in trigger ${trigger})` : problem;
  }
  return null;
}

function opProblem(op: ExplainRow, catalogue: Catalogue, vtabsExpected: boolean): string | null {
  if (REFUSED_OPCODES.has(op.opcode))
    return `would change the schema, the connection or the file (${op.opcode}), which SQL jobs may not do`;
  if (op.opcode === "Transaction" && op.p1 !== 0)
    return "uses a database other than this one (temp or attached), which SQL jobs may not do";
  if (OPEN_OPCODES.has(op.opcode)) {
    if (op.p3 !== 0 || (op.p5 & P2_IS_REGISTER) !== 0)
      return "uses a database other than this one (temp or attached), which SQL jobs may not do";
    return tableProblem(op.p2, catalogue);
  }
  if (op.opcode === "Clear")
    return op.p2 !== 0
      ? "uses a database other than this one, which SQL jobs may not do"
      : tableProblem(op.p1, catalogue);
  if (FUNCTION_OPCODES.has(op.opcode)) {
    const name = /^(.+)\(-?\d+\)$/.exec(op.p4 ?? "")?.[1] ?? String(op.p4);
    if (!ALLOWED_FUNCTIONS.has(name.toLowerCase())) return `calls ${name}(), which SQL jobs may not use`;
  }
  if (op.opcode === "VOpen" && !vtabsExpected)
    return "reads a virtual table, which SQL jobs may not use (json_each, json_tree and generate_series are allowed)";
  return null;
}

function tableProblem(rootPage: number, catalogue: Catalogue): string | null {
  const table = catalogue.tableOfRootPage.get(rootPage);
  if (table !== undefined && catalogue.collections.has(table.toLowerCase())) return null;
  return `reads or writes ${table ?? "a table that is not a collection"}: SQL jobs may only use collection tables`;
}

/** writesDatabase tells whether a compiled statement opens a write transaction (its Transaction opcode's p2 is not 0). */
export function writesDatabase(rows: ExplainRow[]): boolean {
  return rows.some((op) => op.opcode === "Transaction" && op.p2 !== 0);
}
