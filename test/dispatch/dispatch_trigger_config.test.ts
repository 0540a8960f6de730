// Trigger configs are checked when a collection is created or changed: a bad one is a 400
// naming the field, and nothing is written.
import { beforeAll, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../support/test_app";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});

const ok = { action: "create", url: "https://example.com/hook" };
const cases: [string, Record<string, unknown>, string][] = [
  ["a missing url", { action: "create" }, "triggers.0.url"],
  ["a relative url", { ...ok, url: "/hook" }, "triggers.0.url"],
  ["a non-http url", { ...ok, url: "ftp://example.com/x" }, "triggers.0.url"],
  ["an unknown action", { ...ok, action: "upsert" }, "triggers.0.action"],
  ["an unknown method", { ...ok, method: "FETCH" }, "triggers.0.method"],
  ["retryLimit 0", { ...ok, retryLimit: 0 }, "triggers.0.retryLimit"],
  ["retryLimit 101", { ...ok, retryLimit: 101 }, "triggers.0.retryLimit"],
  ["retryLimit as a string", { ...ok, retryLimit: "5" }, "triggers.0.retryLimit"],
  ["timeoutMs under 100", { ...ok, timeoutMs: 50 }, "triggers.0.timeoutMs"],
  ["headers that are not an object", { ...ok, headers: ["X-A: b"] }, "triggers.0.headers"],
  ["a header value with a line break", { ...ok, headers: { "X-A": "b\r\nX-Injected: 1" } }, "triggers.0.headers.X-A"],
  ["a header name with a space", { ...ok, headers: { "X A": "b" } }, "triggers.0.headers.X A"],
  ["jwtEnabled as a string", { ...ok, jwtEnabled: "yes" }, "triggers.0.jwtEnabled"],
];

for (const [name, trigger, field] of cases) {
  test(`${name} is a 400 naming ${field}`, async () => {
    const res = await t.request("POST", "/api/collections", {
      name: "c_bad",
      fields: [{ name: "title", type: "text" }],
      triggers: [trigger],
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION");
    expect(Object.keys(res.body.data)).toContain(field);
    expect((await t.request("GET", "/api/collections/c_bad")).status).toBe(404);
  });
}

test("the same rules apply to options.triggers (also as a JSON string) and to a PATCH", async () => {
  const asString = await t.request("POST", "/api/collections", {
    name: "c_str",
    options: JSON.stringify({ triggers: [{ ...ok, retryLimit: 0 }] }),
  });
  expect(asString.status).toBe(400);
  expect(Object.keys(asString.body.data)).toContain("options.triggers.0.retryLimit");

  expect((await t.request("POST", "/api/collections", { name: "c_ok", triggers: [ok] })).status).toBe(200);
  const patched = await t.request("PATCH", "/api/collections/c_ok", { triggers: [{ ...ok, url: "not a url" }] });
  expect(patched.status).toBe(400);
  expect(Object.keys(patched.body.data)).toContain("triggers.0.url");
  expect((await t.request("GET", "/api/collections/c_ok")).body.options.triggers).toEqual([
    expect.objectContaining({ url: ok.url }),
  ]);
});
