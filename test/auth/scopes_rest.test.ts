// Every REST route, as the router lists them (so a route added without a declared scope fails
// here): a key holding every scope but the one the route declares gets a 403 naming it; a key
// holding only that scope gets past the check (any answer but 401 and 403).
import { afterAll, describe, expect, test } from "bun:test";
import { neededScope } from "../../src/middleware/scopes";
import { bearer, everyScopeBut, mintKeyFor } from "../support/keys";
import { send } from "../support/scenario";
import { makeTestApp } from "../support/test_app";

const t = await makeTestApp();
afterAll(() => t.deps.db.close());

// Path parameters: "posts" for every :name, so narrowed scopes read records:read:posts, webhooks:trigger:posts.
const value = (param: string) => (param === "name" ? "posts" : "x");
const concrete = (pattern: string) => pattern.replace(/:(\w+)/g, (_m, p: string) => value(p));
const paramsOf = (pattern: string) =>
  Object.fromEntries([...pattern.matchAll(/:(\w+)/g)].map(([, p]) => [p!, value(p!)]));
const bodyFor = (method: string) => (["POST", "PATCH", "PUT", "DELETE"].includes(method) ? {} : undefined);

const ROUTES = t.app.routes();
// Signed-in routes whose handler asks for any one of several scopes (the preview: one that may set a transform).
const ONE_OF: Record<string, string[]> = { "POST /api/transform/preview": ["webhooks:write"] };

test("the router lists every route, each with a declaration", () => {
  expect(ROUTES.length).toBeGreaterThan(40);
  for (const r of ROUTES) expect(r.meta.access).toBeDefined();
});

describe.each(ROUTES.map((r) => [`${r.method} ${r.pattern}`, r] as const))("%s", (_name, route) => {
  const url = concrete(route.pattern);
  const body = bodyFor(route.method);

  if (route.meta.access === "public") {
    test("answers without a token", async () => {
      const res = await send(t, { method: route.method, url, headers: {} });
      expect(res.status).not.toBe(401);
    });
    return;
  }

  const scope = neededScope(route.meta.access, paramsOf(route.pattern));
  if (scope === null) {
    test("answers any key, whatever its scopes (beside one of those its handler asks for)", async () => {
      const key = await mintKeyFor(t, ["metrics:read", ...(ONE_OF[`${route.method} ${route.pattern}`] ?? [])]);
      const res = await send(t, { method: route.method, url, body, headers: bearer(key) });
      expect([401, 403]).not.toContain(res.status);
    });
    return;
  }

  test(`refuses a key without ${scope} with a 403 naming it`, async () => {
    const key = await mintKeyFor(t, everyScopeBut(scope));
    const res = await send(t, { method: route.method, url, body, headers: bearer(key) });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ status: 403, code: "FORBIDDEN", data: { scope: { message: scope } } });
    expect(res.json.message).toContain(scope);
  });

  test(`lets a key holding only ${scope} through`, async () => {
    const key = await mintKeyFor(t, [scope]);
    const res = await send(t, { method: route.method, url, body, headers: bearer(key) });
    expect([401, 403]).not.toContain(res.status);
  });

  test("lets the admin token through", async () => {
    const res = await send(t, { method: route.method, url, body });
    expect([401, 403]).not.toContain(res.status);
  });
});
