// The check of a SQL job on what SQLite compiled, not on what was written: `EXPLAIN <statement>`
// lists the program SQLite would run, so quoting, comments, parameters or a string used as a
// name cannot hide anything. Every instruction must be on the allow-list; every table opened
// (by root page, in the main database) must be a collection or one of its indexes; every
// function called must be allowed by name; every virtual table opened must be one of the
// allowed table-valued functions, recognised by identity: the same instance SQLite opens for
// `SELECT * FROM json_each('[]')` on the same connection. The programs of hookd's own triggers
// (named `_…`: the capture triggers, which insert into _webhook_logs), listed after the main
// program, are hookd's code and let through; any other trigger is checked like the job.
import { ALLOWED_FUNCTIONS, ALLOWED_OPCODES, FUNCTION_OPCODES } from "./sql_job_rules";

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

/** Catalogue says which table owns each root page, which tables are collections (lower-cased), and the P4 of each allowed virtual table's VOpen on this connection. */
export interface Catalogue {
  tableOfRootPage: Map<number, string>;
  collections: Set<string>;
  allowedVtabs: Set<string>;
}

/** programProblem answers why a compiled statement may not run as a job, or null. */
export function programProblem(rows: ExplainRow[], catalogue: Catalogue): string | null {
  let trigger: string | null = null;
  for (const [i, op] of rows.entries()) {
    // Each trigger program is listed after the main one, restarting at address 0.
    if (op.addr === 0 && i > 0) trigger = /^-- TRIGGER (.+)$/.exec(op.p4 ?? "")?.[1] ?? "an unnamed program";
    if (trigger?.startsWith("_")) continue;
    const problem = instructionProblem(op, catalogue);
    if (problem) return trigger ? `${problem} (in trigger ${trigger})` : problem;
  }
  return null;
}

function instructionProblem(op: ExplainRow, catalogue: Catalogue): string | null {
  if (op.opcode === "Variable")
    return `uses a parameter (${op.p4 ?? "?"}), which SQL jobs cannot have: they run with no arguments`;
  if (!ALLOWED_OPCODES.has(op.opcode))
    return `would run SQLite's ${op.opcode} instruction, which SQL jobs may not (schema, settings, files or transactions)`;
  switch (op.opcode) {
    case "Transaction":
      return op.p1 === 0 ? null : "uses a database other than this one (temp or attached), which SQL jobs may not do";
    // A table opened by a register instead of its root page is one the statement creates:
    // such a program also holds CreateBtree, which is refused above.
    case "OpenRead":
    case "OpenWrite":
    case "ReopenIdx":
      return op.p3 === 0 ? tableProblem(op.p2, catalogue) : otherDatabase();
    case "Clear":
      return op.p2 === 0 ? tableProblem(op.p1, catalogue) : otherDatabase();
    case "VOpen":
      return catalogue.allowedVtabs.has(String(op.p4))
        ? null
        : "reads a virtual table other than json_each, json_tree and generate_series (a file, pragma or engine table), which SQL jobs may not";
  }
  if (FUNCTION_OPCODES.has(op.opcode)) {
    const name = /^(.+)\(-?\d+\)$/.exec(op.p4 ?? "")?.[1] ?? String(op.p4);
    if (!ALLOWED_FUNCTIONS.has(name.toLowerCase())) return `calls ${name}(), which SQL jobs may not use`;
  }
  return null;
}

function otherDatabase(): string {
  return "uses a database other than this one (temp or attached), which SQL jobs may not do";
}

function tableProblem(rootPage: number, catalogue: Catalogue): string | null {
  const table = catalogue.tableOfRootPage.get(rootPage);
  if (table !== undefined && catalogue.collections.has(table.toLowerCase())) return null;
  return `reads or writes ${table ?? "a table that is not a collection"}: SQL jobs may only use collection tables`;
}

/** writesDatabase tells whether a compiled statement opens a write transaction (its Transaction's p2 is not 0). */
export function writesDatabase(rows: ExplainRow[]): boolean {
  return rows.some((op) => op.opcode === "Transaction" && op.p2 !== 0);
}
