// What an attacker could do with transforms (docs/security.md, Transforms): one JSONata call
// runs to its end whatever the time limit, so an expression that backtracks a regular
// expression or pads a string to hundreds of millions of characters once held the event loop
// for seconds (and took gigabytes). Such expressions are refused, and only callers who may set
// a transform may try one through the preview.
import { afterAll, describe, expect, test } from "bun:test";
import { compileTransform, runTransform, TransformError, transformProblem } from "../../src/targets/transform";
import { bearer, mintKeyFor } from "../support/keys";
import { makeTestApp } from "../support/test_app";

const t = await makeTestApp();
afterAll(() => t.deps.db.close());

const preview = (transform: string, headers: Record<string, string> = {}) =>
  t.request("POST", "/api/transform/preview", { transform, event: { title: "x" } }, headers);

describe("the transform preview", () => {
  test("is refused (403) to a key that may set no transform, REST and GraphQL", async () => {
    const reader = await mintKeyFor(t, ["records:read:posts"]);
    const res = await preview("title", bearer(reader));
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('"collections:write", "webhooks:write", "cron:write"');
    const gql = await t.request(
      "POST",
      "/graphql",
      { query: `{ previewTransform(transform: "title", event: {}) { body } }` },
      bearer(reader),
    );
    expect(gql.body.errors[0].extensions.code).toBe("FORBIDDEN");
  });

  test("answers a key that may set a transform on some target", async () => {
    for (const scope of ["collections:write", "webhooks:write", "cron:write"]) {
      const writer = await mintKeyFor(t, [scope]);
      const res = await preview("title", bearer(writer));
      expect(res.status).toBe(200);
      expect(res.body.body).toBe("x");
    }
  });
});

describe("regular expressions that backtrack without end", () => {
  const nested = [
    `$match(title, /(a+)+$/)`,
    `$replace(title, /(a|aa)*b/, "")`,
    `$contains(title, /^(\\w+\\s?)*$/)`,
    `$split(title, /(x{1,}y?){2,}/)`,
  ];
  test("are refused when the transform is saved or previewed, naming transform", async () => {
    for (const expr of nested) expect(transformProblem(expr)).toContain("repetition");
    const res = await preview(nested[0]!);
    expect(res.status).toBe(400);
    expect(res.body.data.transform.message).toContain("repetition");
  });

  test("are refused when $eval makes them at run time too", async () => {
    const evil = compileTransform(`$eval('$match(title, /(a+)+$/)')`);
    await expect(runTransform(evil, { title: `${"a".repeat(40)}!` })).rejects.toThrow(/repetition/);
  });

  test("ordinary ones still run", async () => {
    for (const expr of [`$match(title, /a+b/)`, `$replace(title, /[ab]+/, "-")`, `$contains(title, /(ab)?c/)`])
      expect(transformProblem(expr)).toBeNull();
    const out = await runTransform(compileTransform(`$replace(title, /(x|y)/, "z")`), { title: "axb" });
    expect(out.body).toBe("azb");
  });
});

describe("$pad", () => {
  test("a width past the limit is a run-time error, not a string of that size", async () => {
    await expect(runTransform(compileTransform(`$pad("x", 300000000)`), {})).rejects.toThrow(/\$pad/);
    await expect(runTransform(compileTransform(`$pad("x", -300000000, "-")`), {})).rejects.toThrow(/\$pad/);
  });

  test("pads as before within it", async () => {
    expect((await runTransform(compileTransform(`$pad(title, 5, "#")`), { title: "ab" })).body).toBe("ab###");
    expect((await runTransform(compileTransform(`$pad(title, -4)`), { title: "ab" })).body).toBe("  ab");
    expect((await runTransform(compileTransform(`$pad(nothing, 4)`), {})).body).toBeNull();
  });
});

describe("strings past MAX_TRANSFORM_CHARS", () => {
  const DOUBLE = `$double := function($s, $n) { $n = 0 ? $s : $double($s & $s, $n - 1) };`;
  const fails = async (expr: string) => {
    const err = await runTransform(compileTransform(expr), {}).catch((e: Error) => e);
    expect(err).toBeInstanceOf(TransformError);
    expect((err as Error).message).toContain("characters");
  };

  test("a string doubled past the limit fails the step that made it (once 2.7 GB and 4 s)", async () => {
    await fails(`(${DOUBLE} $uppercase($double("x", 28)))`);
    await fails(`(${DOUBLE} $double("x", 27))`);
  });

  test("$join, $string and the result are measured before they are built", async () => {
    await fails(`(${DOUBLE} $s := $double("x", 20); $join([1..300].($s)))`);
    await fails(`(${DOUBLE} $s := $double("x", 20); $string([1..300].($s)))`);
    await fails(`(${DOUBLE} $s := $double("x", 20); [1..300].($s))`);
    await fails(`(${DOUBLE} $s := $double("x", 20); {"a": [1..300].{"b": $s}})`);
  });

  test("within the limit they work as before", async () => {
    const out = await runTransform(
      compileTransform(`{ "j": $join(["a", "b"], "-"), "s": $string({"k": [1, "x"]}), "p": $string({"k": 1}, true) }`),
      {},
    );
    expect(JSON.parse(out.body!)).toEqual({ j: "a-b", s: '{"k":[1,"x"]}', p: '{\n  "k": 1\n}' });
    const big = await runTransform(compileTransform(`(${DOUBLE} $double("x", 20))`), {});
    expect(big.body!.length).toBe(2 ** 20);
  });
});

test('a function in the result is written as "" (as $string writes it), not a 500 of the preview', async () => {
  const out = await runTransform(compileTransform(`{ "f": function($x) { $x }, "g": $uppercase, "a": 1 }`), {});
  expect(JSON.parse(out.body!)).toEqual({ f: "", g: "", a: 1 });
  const res = await t.request("POST", "/api/transform/preview", { transform: "function($x) { $x }", event: {} });
  expect(res.status).toBe(200);
});
