// The condition grammar as a pure unit: parsing, errors with positions, and what the compiled
// SQL means, evaluated by a real SQLite on rows that stand in for NEW and OLD.
import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ConditionError, MAX_CONDITION_DEPTH, parseCondition } from "../../src/collections/condition_parse";
import { compileConditionText, conditionScope } from "../../src/collections/condition_sql";
import type { Collection } from "../../src/collections/collection_types";

const posts: Collection = {
  id: "c1",
  name: "posts",
  type: "base",
  created: "",
  updated: "",
  options: { triggers: [] },
  schema: [
    { id: "f_title", name: "title", type: "text", required: false, options: {} },
    { id: "f_status", name: "status", type: "select", required: false, options: { values: ["draft", "published"] } },
    { id: "f_views", name: "views", type: "number", required: false, options: {} },
    { id: "f_done", name: "done", type: "bool", required: false, options: {} },
    { id: "f_meta", name: "meta", type: "json", required: false, options: {} },
  ],
};

function errorOf(text: string): ConditionError {
  try {
    compileConditionText(text, conditionScope(posts, "update"));
  } catch (err) {
    if (err instanceof ConditionError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

describe("parseCondition", () => {
  test("&& binds tighter than ||, parentheses group, chains flatten", () => {
    const eq = (name: string, value: string) => ({
      kind: "compare",
      op: "=",
      left: { kind: "field", name, old: false, pos: expect.any(Number) },
      right: { kind: "string", value, pos: expect.any(Number) },
    });
    expect(parseCondition("a = 'x' || b = 'y' && c = 'z'")).toEqual({
      kind: "or",
      terms: [eq("a", "x"), { kind: "and", terms: [eq("b", "y"), eq("c", "z")] }],
    } as never);
    expect(parseCondition("(a = 'x' || b = 'y') && c = 'z'")).toEqual({
      kind: "and",
      terms: [{ kind: "or", terms: [eq("a", "x"), eq("b", "y")] }, eq("c", "z")],
    } as never);
  });
  test("operands: old.<field>, both quotes with escapes, numbers, true, false, null", () => {
    expect(parseCondition(`old.status != "it's \\"x\\"" && n >= -1.5e3 && b = true && c != false && d = null`)).toEqual(
      {
        kind: "and",
        terms: [
          {
            kind: "compare",
            op: "!=",
            left: { kind: "field", name: "status", old: true, pos: 1 },
            right: { kind: "string", value: `it's "x"`, pos: 15 },
          },
          {
            kind: "compare",
            op: ">=",
            left: { kind: "field", name: "n", old: false, pos: 31 },
            right: { kind: "number", value: -1500, pos: 36 },
          },
          {
            kind: "compare",
            op: "=",
            left: { kind: "field", name: "b", old: false, pos: 46 },
            right: { kind: "bool", value: true, pos: 50 },
          },
          {
            kind: "compare",
            op: "!=",
            left: { kind: "field", name: "c", old: false, pos: 58 },
            right: { kind: "bool", value: false, pos: 63 },
          },
          {
            kind: "compare",
            op: "=",
            left: { kind: "field", name: "d", old: false, pos: 72 },
            right: { kind: "null", pos: 76 },
          },
        ],
      },
    );
  });
});

describe("refused conditions name the problem and where it is", () => {
  const cases: [string, string, number | null][] = [
    [
      "title = 'x'); DROP TABLE posts; --",
      `expected &&, || or the end of the condition at character 12, found ")"`,
      12,
    ],
    ["title = 'x'; DROP TABLE posts", `unexpected character ";" at character 12`, 12],
    ["title = 'x' OR 1 = 1", `expected &&, || or the end of the condition at character 13, found "OR"`, 13],
    ["title = 'x' -- comment", `unexpected character "-" at character 13`, 13],
    ["title = 'x' /* c */", `unexpected character "/" at character 13`, 13],
    ["title = x'00'", `expected &&, || or the end of the condition at character 10`, 10],
    [`ti"tle = 'x'`, `the string starting at character 3 is not closed with "`, 3],
    [`ti"tle" = 'x'`, `expected an operator (= != > >= < <= ~ !~) at character 3, found "\"tle\""`, 3],
    [`"title" = 'x'`, `compares two constants at character 1; put a field on one side (field names are not quoted)`, 1],
    [`'a' = 'a' || title = 'x'`, `compares two constants at character 1`, 1],
    [`true = 1`, `compares two constants`, 1],
    [`old."status" = 'x'`, `expected a field name after "old." at character 5`, 5],
    ["`title` = 'x'", 'unexpected character "`" at character 1', 1],
    ["[title] = 'x'", `unexpected character "[" at character 1`, 1],
    ["title = 'unclosed", "the string starting at character 9 is not closed with '", 9],
    [
      "title == 'x'",
      `expected a field, old.<field>, a quoted string, a number, true, false or null at character 8, found "="`,
      8,
    ],
    ["title = ", "at character 9, found the end of the condition", 9],
    ["", "at character 1, found the end of the condition", 1],
    ["title", `expected an operator (= != > >= < <= ~ !~) at character 6, found the end`, 6],
    ["(title = 'x'", "expected ) to close the ( at character 1 at character 13", 13],
    ["title = 'x')", `expected &&, || or the end of the condition at character 12, found ")"`, 12],
    ["title = 'x' && ", "at character 16, found the end of the condition", 16],
    ["title = 'x' & status = 'y'", `unexpected character "&" at character 13`, 13],
    ["title = 'x' and status = 'y'", `found "and"`, 13],
    [
      "nope = 'x'",
      `unknown field "nope" at character 1; known fields: id, created, updated, title, status, views, done, meta`,
      1,
    ],
    ["title = 'x' && old.nope != 1", `unknown field "nope" at character 16`, 16],
    ["Title = 'x'", `unknown field "Title"`, 1],
    ["a.b = 1", `only old.<field> may contain a dot, found "a.b" at character 1`, 1],
    ["old.a.b = 1", `expected a field name after "old.a." at character 7`, 7],
    ["views > null", "null can only be compared with = or != (found > at character 7)", 7],
    ["title ~ null", "null can only be compared with = or !=", 4 + 3],
    ["views > 1e999", "the number 1e999 at character 9 is too large", 9],
    ["title = 'a\0b'", "a NUL character is not allowed (character 11)", 11],
    ["title = 'x' || (((", "at character 19, found the end of the condition", 19],
    ["x".repeat(2001), "is longer than 2,000 characters", null],
    [
      `${"(".repeat(MAX_CONDITION_DEPTH + 1)}title = 'x'${")".repeat(MAX_CONDITION_DEPTH + 1)}`,
      `nested deeper than ${MAX_CONDITION_DEPTH} levels at character ${MAX_CONDITION_DEPTH + 1}`,
      MAX_CONDITION_DEPTH + 1,
    ],
  ];
  for (const [text, message, position] of cases) {
    test(JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}…` : text), () => {
      const err = errorOf(text);
      expect(err.message).toContain(message);
      if (position !== null) expect(err.position).toBe(position);
    });
  }
});

describe("compiled conditions, evaluated by SQLite", () => {
  const db = createClient({ url: ":memory:" });
  const columns = `id TEXT, created TEXT, updated TEXT, title TEXT, status TEXT, views REAL, done INTEGER, meta TEXT`;
  beforeAll(async () => {
    await db.batch(
      [
        `CREATE TABLE posts (${columns})`,
        `CREATE TABLE before (${columns})`,
        `INSERT INTO before VALUES ('r1', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'Hello', 'draft', 3, 0, '{"tags":["a"]}')`,
        `INSERT INTO posts VALUES ('r1', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', 'Hello World', 'published', 10, 1, '"vip"')`,
        // A row written by raw SQL: text in a number column, 'yes' in a bool, broken JSON, a blob.
        `INSERT INTO before VALUES ('r2', NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
        `INSERT INTO posts VALUES ('r2', 'x', 'y', X'00ff', NULL, 'lots', 'yes', '{broken')`,
      ],
      "write",
    );
  });
  afterAll(() => db.close());

  async function holds(text: string, action: "create" | "update" | "delete", id = "r1"): Promise<boolean> {
    // NEW and OLD are ordinary aliases here, standing in for the trigger's rows.
    const sql = compileConditionText(text, conditionScope(posts, action));
    const rs = await db.execute({
      sql: `SELECT coalesce(${sql}, 0) AS ok FROM posts AS NEW JOIN before AS OLD USING (id) WHERE NEW.id = ?`,
      args: [id],
    });
    return Number(rs.rows[0]!.ok) === 1;
  }

  const cases: [string, "create" | "update" | "delete", string, boolean][] = [
    ["status = 'published'", "update", "r1", true],
    ["status = 'published' && old.status != 'published'", "update", "r1", true],
    ["status = 'published' && old.status = 'published'", "update", "r1", false],
    ["old.status = 'draft'", "create", "r1", false],
    ["old.status = null", "create", "r1", true],
    ["old.status != status", "create", "r1", true],
    ["status = 'draft'", "delete", "r1", true],
    ["old.status = 'draft'", "delete", "r1", true],
    ["title ~ 'WORLD'", "update", "r1", true],
    ["title ~ 'xyz'", "update", "r1", false],
    ["title !~ 'xyz'", "update", "r1", true],
    ["old.title ~ 'hello' && title !~ 'hello'", "update", "r1", false],
    ["views > 5 && views <= 10 && old.views < 5 && old.views >= 3", "update", "r1", true],
    ["views > '5'", "update", "r1", true],
    ["views = 10", "update", "r1", true],
    ["done = true", "update", "r1", true],
    ["done = false", "update", "r1", false],
    ["old.done = false && done != false", "update", "r1", true],
    ["meta = 'vip'", "update", "r1", true],
    ["old.meta ~ 'tags'", "update", "r1", true],
    ["meta != null && title != null", "update", "r1", true],
    ["created < updated", "update", "r1", true],
    ["id = 'r1' && created >= '2026-01-01'", "update", "r1", true],
    ["(status = 'x' || status = 'published') && (views > 100 || done = true)", "update", "r1", true],
    ["status = 'x' || status = 'y' && views > 0", "update", "r1", false],
    [`title = "x'); DROP TABLE posts; --"`, "update", "r1", false],
    [`title = 'Hello World' || title = "x\\"); DROP TABLE before; --"`, "update", "r1", true],
    ["title ~ '%' || title ~ '_'", "update", "r1", false],
    // Odd values written by raw SQL compare without failing.
    ["title ~ 'a'", "update", "r2", false],
    ["title !~ 'a'", "update", "r2", true],
    ["views > 5", "update", "r2", true],
    ["done = true", "update", "r2", false],
    ["meta = 'x' || meta ~ 'broken'", "update", "r2", true],
    ["old.status = null && status = null && old.title !~ 'x'", "update", "r2", true],
  ];
  for (const [text, action, id, expected] of cases) {
    test(`${action} ${id}: ${text} → ${expected}`, async () => expect(await holds(text, action, id)).toBe(expected));
  }

  test("injection attempts inside literals stay literals: both tables are still there", async () => {
    const rs = await db.execute("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('posts', 'before')");
    expect(Number(rs.rows[0]!.n)).toBe(2);
  });

  test("a condition of 2,000 characters and the deepest nesting compile to SQL that SQLite accepts", async () => {
    const chain = Array.from({ length: 400 }, () => "views>1")
      .join("&&")
      .slice(0, 2000)
      .replace(/&+$|&&vi?e?w?s?>?$/, "");
    expect(chain.length).toBeGreaterThan(1900);
    expect(await holds(chain, "update")).toBe(true);
    const deep = `${"(".repeat(MAX_CONDITION_DEPTH)}views>1${")".repeat(MAX_CONDITION_DEPTH)}`;
    expect(await holds(deep, "update")).toBe(true);
    const alternating =
      Array.from({ length: MAX_CONDITION_DEPTH }, (_, i) => `views>${i}${i % 2 ? "&&" : "||"}(`).join("") +
      "done=true" +
      ")".repeat(MAX_CONDITION_DEPTH);
    expect(await holds(alternating, "update")).toBe(true);
  });
});
