import { expect, test } from "bun:test";
import { Router } from "../../src/lib/router";

const tag = (name: string) => () => new Response(name);

test.each([
  ["GET", "/api/webhooks/logs", "logs"],
  ["GET", "/api/webhooks/hello", "webhook"],
  ["GET", "/api/collections/posts/records/bulk", "record"],
  ["PATCH", "/api/collections/posts/records/bulk", "bulk"],
  ["GET", "/api/webhooks/a%20b", "webhook"],
])("%s %s goes to the %s route whatever the registration order", async (method, path, expected) => {
  const router = new Router()
    .on("GET", "/api/webhooks/:name", undefined, tag("webhook"))
    .on("GET", "/api/webhooks/logs", undefined, tag("logs"))
    .on("GET", "/api/collections/:name/records/:id", undefined, tag("record"))
    .on("PATCH", "/api/collections/:name/records/bulk", undefined, tag("bulk"));
  const match = router.match(method, path);
  expect("handler" in match).toBe(true);
  if ("handler" in match) expect(await (await match.handler({} as never)).text()).toBe(expected);
});

test("a known path with another method is method_not_allowed; an unknown one not_found", () => {
  const router = new Router().on("GET", "/a/:x", undefined, tag("a"));
  expect(router.match("POST", "/a/1")).toEqual({ miss: "method_not_allowed" });
  expect(router.match("GET", "/b/1")).toEqual({ miss: "not_found" });
  expect(router.match("GET", "/a/%E0%A4%A")).toEqual({ miss: "not_found" });
});
