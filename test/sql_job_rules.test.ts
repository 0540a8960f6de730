// The SQL job rules as pure functions: the text check on tokens (quotes, comments, strings
// that are values) and the bytecode check on EXPLAIN rows (capture trigger programs allowed,
// any other program checked like the job's own).
import { expect, test } from "bun:test";
import { bytecodeProblem, type Catalogue, type ExplainRow } from "../src/cron/sql_job_bytecode";
import { staticProblem } from "../src/cron/sql_job_rules";
import { tokenizeSql } from "../src/lib/sql_tokens";

test.each([
  [
    "a string value that looks like a hookd name",
    "UPDATE notes SET title = '_settings' WHERE title = 'sqlite_x'",
    null,
  ],
  ["a doubled quote inside a string", "SELECT 'it''s _fine' FROM notes", null],
  ["a comment that names a hookd table", "SELECT 1 /* _jwt_keys */ -- DROP TABLE x", null],
  ["a quoted name with an escaped quote", 'SELECT "ti""tle" FROM notes', null],
  ["a hookd name after an escaped quote", 'SELECT "a""" FROM "_settings"', "_settings"],
  ["an unclosed comment", "SELECT 1 /* open", "cannot be read"],
  ["an unclosed string", "SELECT 'open", "cannot be read"],
  ["a leading comment hiding the keyword", "/* x */ PRAGMA writable_schema = 1", "PRAGMA"],
  ["EXPLAIN", "EXPLAIN SELECT 1", "EXPLAIN statements are not allowed"],
  ["a semicolon inside a statement", "SELECT 1; SELECT 2", "more than one statement"],
  ["a pragma function in any case", "SELECT * FROM Pragma_Table_Info('notes')", "Pragma_Table_Info"],
])("staticProblem: %s", (_name, sql, says) => {
  const problem = staticProblem(sql);
  if (says === null) expect(problem).toBeNull();
  else expect(problem).toContain(says);
});

test("tokenizeSql reads every quoting and keeps -> and ->> whole", () => {
  const tokens = tokenizeSql(`SELECT x'00', "a", \`b\`, [c], 'd' ->> '$.e', ?1, :p, 1.5e3 FROM t`);
  expect(tokens.map((t) => `${t.kind}:${t.text}`)).toEqual([
    "word:SELECT",
    "blob:00",
    "punct:,",
    "quoted:a",
    "punct:,",
    "quoted:b",
    "punct:,",
    "quoted:c",
    "punct:,",
    "string:d",
    "punct:->>",
    "string:$.e",
    "punct:,",
    "param:?1",
    "punct:,",
    "param::p",
    "punct:,",
    "number:1.5e3",
    "word:FROM",
    "word:t",
  ]);
});

const catalogue: Catalogue = {
  tableOfRootPage: new Map([
    [1, "sqlite_schema"],
    [2, "notes"],
    [3, "_webhook_logs"],
  ]),
  collections: new Set(["notes"]),
};
const op = (addr: number, opcode: string, p2 = 0, p4: string | null = null, p3 = 0): ExplainRow => ({
  addr,
  opcode,
  p1: 0,
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
      op(2, "Program"),
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
  ["an attached database", [op(0, "Init"), op(1, "OpenRead", 2, null, 2)], "other than this one"],
  ["a function off the list", [op(0, "Init"), op(1, "Function", 0, "readfile(1)")], "readfile()"],
  [
    "an aggregate on the list",
    [op(0, "Init"), op(1, "AggStep", 0, "count(0)"), op(2, "AggFinal", 0, "count(0)")],
    null,
  ],
  ["a schema change", [op(0, "Init"), op(1, "ParseSchema")], "ParseSchema"],
] as [string, ExplainRow[], string | null][])("bytecodeProblem: %s", (_name, rows, says) => {
  const problem = bytecodeProblem(rows, catalogue, false);
  if (says === null) expect(problem).toBeNull();
  else expect(problem).toContain(says);
});
