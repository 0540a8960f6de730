// The SQL job rules as pure functions: a statement's first keyword, read the way SQLite's
// tokenizer skips spaces and comments (refusing where the two could differ), and the check of
// EXPLAIN rows (allowed instructions, collection root pages, allowed functions, allowed
// virtual tables by identity, hookd's own trigger programs let through).
import { expect, test } from "bun:test";
import { programProblem, writesDatabase, type Catalogue, type ExplainRow } from "../../src/cron/sql_job_program";
import { keywordProblem, statementKeyword } from "../../src/cron/sql_job_rules";

test.each([
  ["SELECT 1", "SELECT"],
  ["  \n\tselect 1", "SELECT"],
  ["-- a comment\nWITH x AS (SELECT 1) SELECT * FROM x", "WITH"],
  ["/* x */ /* y */PRAGMA writable_schema = 1", "PRAGMA"],
  ["/* never closed", null],
  [";PRAGMA x", null],
  ["SELECTX 1", "SELECTX"],
  ["SELECT_ 1", null],
  ["SELECT$ 1", null],
  ["SELECTé 1", null],
  ["\vSELECT 1", null],
  ["'x'", null],
  ["$a(') PRAGMA x", null],
  ["", null],
] as [string, string | null][])("statementKeyword(%j) is %j", (sql, keyword) => {
  expect(statementKeyword(sql)).toBe(keyword);
});

test.each([
  ["UPDATE notes SET title = '_settings'", null],
  ["PRAGMA table_list", "PRAGMA"],
  ["ATTACH 'x' AS y", "ATTACH"],
  ["VACUUM", "VACUUM"],
  ["DROP TABLE notes", "schema changes"],
  ["SAVEPOINT a", "transaction control"],
  ["EXPLAIN SELECT 1", "EXPLAIN is not allowed"],
  ["(SELECT 1)", "does not start with a keyword"],
] as [string, string | null][])("keywordProblem(%j)", (sql, says) => {
  const problem = keywordProblem(sql);
  if (says === null) expect(problem).toBeNull();
  else expect(problem).toContain(says);
});

const catalogue: Catalogue = {
  tableOfRootPage: new Map([
    [1, "sqlite_schema"],
    [2, "notes"],
    [3, "_webhook_logs"],
    [4, "notes"], // an index of notes
  ]),
  collections: new Set(["notes"]),
  allowedVtabs: new Set(["vtab:AAA"]),
};
const op = (addr: number, opcode: string, p2 = 0, p4: string | null = null, p3 = 0, p1 = 0): ExplainRow => ({
  addr,
  opcode,
  p1,
  p2,
  p3,
  p4,
  p5: 0,
});

test.each([
  [
    "a write to a collection that fires a capture trigger",
    [
      op(0, "Init"),
      op(1, "OpenWrite", 2),
      op(2, "OpenWrite", 4),
      op(3, "Program"),
      op(0, "Init", 0, "-- TRIGGER _capture_abc_create"),
      op(1, "OpenWrite", 3),
      op(2, "Function", 0, "json_object(-1)"),
    ],
    null,
  ],
  [
    "another trigger's program is checked",
    [op(0, "Init"), op(1, "OpenWrite", 2), op(0, "Init", 0, "-- TRIGGER spy"), op(1, "OpenWrite", 3)],
    "(in trigger spy)",
  ],
  ["a read of a hookd table by root page", [op(0, "Init"), op(1, "OpenRead", 3)], "_webhook_logs"],
  ["the schema table", [op(0, "Init"), op(1, "OpenRead", 1)], "sqlite_schema"],
  ["a root page nobody owns", [op(0, "Init"), op(1, "OpenRead", 99)], "not a collection"],
  ["an attached database", [op(0, "Init"), op(1, "OpenRead", 2, null, 2)], "other than this one"],
  ["a transaction on temp", [op(0, "Init"), op(1, "Transaction", 0, null, 0, 1)], "other than this one"],
  ["clearing a hookd table", [op(0, "Init"), op(1, "Clear", 0, null, 0, 3)], "_webhook_logs"],
  ["a function off the list", [op(0, "Init"), op(1, "Function", 0, "readfile(1)")], "readfile()"],
  ["a pure function off the list", [op(0, "Init"), op(1, "PureFunc", 0, "writefile(2)")], "writefile()"],
  [
    "an aggregate on the list",
    [op(0, "Init"), op(1, "AggStep", 0, "count(0)"), op(2, "AggFinal", 0, "count(0)")],
    null,
  ],
  ["an allowed virtual table", [op(0, "Init"), op(1, "VOpen", 0, "vtab:AAA")], null],
  ["another virtual table", [op(0, "Init"), op(1, "VOpen", 0, "vtab:BBB")], "virtual table"],
  ["a parameter", [op(0, "Init"), op(1, "Variable", 1, "$a(')")], "parameter ($a(')"],
  ["a schema change", [op(0, "Init"), op(1, "ParseSchema")], "ParseSchema"],
  ["transaction control", [op(0, "Init"), op(1, "AutoCommit")], "AutoCommit"],
  ["an instruction SQLite may add one day", [op(0, "Init"), op(1, "SomethingNew")], "SomethingNew"],
] as [string, ExplainRow[], string | null][])("programProblem: %s", (_name, rows, says) => {
  const problem = programProblem(rows, catalogue);
  if (says === null) expect(problem).toBeNull();
  else expect(problem).toContain(says);
});

test("writesDatabase reads the Transaction instruction's write flag", () => {
  expect(writesDatabase([op(0, "Init"), op(1, "Transaction", 0)])).toBe(false);
  expect(writesDatabase([op(0, "Init"), op(1, "Transaction", 1)])).toBe(true);
});
