// The scope rules as tables: which scope strings a key may hold, which granted scopes cover a
// needed one, and what the route middleware answers for each declaration and caller.
import { expect, test } from "bun:test";
import type { Access } from "../../src/auth/access";
import { holdsScope, scopeProblem } from "../../src/auth/scopes";
import { ForbiddenError, UnauthorizedError } from "../../src/errors";
import { ANONYMOUS, authorizeRoute } from "../../src/middleware/scopes";
import type { RouteAccess } from "../../src/rest/api_router";

test.each([
  ["admin", true],
  ["records:read", true],
  ["records:read:posts", true],
  ["records:write:my_col-2", true],
  ["webhooks:trigger:deploy.prod", true],
  ["metrics:read", true],
  ["cron:read:nightly", false],
  ["records:read:", false],
  ["records:read:a/b", false],
  ["records:delete", false],
  ["Records:read", false],
  ["", false],
])("%p may be held: %p", (scope, ok) => {
  expect(scopeProblem(scope) === null).toBe(ok);
});

test.each([
  [["admin"], "secrets:read", true],
  [["admin"], "records:write:posts", true],
  [["records:read"], "records:read:posts", true],
  [["records:read:posts"], "records:read:posts", true],
  [["records:read:posts"], "records:read:users", false],
  [["records:read:posts"], "records:read", false],
  [["records:read"], "records:write:posts", false],
  [["webhooks:trigger"], "webhooks:trigger:deploy", true],
  [["webhooks:write"], "webhooks:trigger:deploy", false],
  [["logs:read"], "logs:write", false],
  [[], "logs:read", false],
])("%p covers %p: %p", (granted, needed, ok) => {
  expect(holdsScope(new Set(granted), needed)).toBe(ok);
});

const key = (...scopes: string[]): Access => ({ actor: "k1", scopes: new Set(scopes) });
const PARAMS = { name: "posts" };

test.each<[string, RouteAccess, Access | null, "ok" | 401 | 403]>([
  ["public, no token", "public", null, "ok"],
  ["public, a key", "public", key("logs:read"), "ok"],
  ["signed-in, no token", "signed-in", null, 401],
  ["signed-in, any key", "signed-in", key("metrics:read"), "ok"],
  ["a scope, no token", "cron:read", null, 401],
  ["a scope, a key without it", "cron:read", key("cron:write"), 403],
  ["a scope, a key with it", "cron:read", key("cron:read"), "ok"],
  ["a narrowed scope, the wide one", { scope: "records:read", per: "name" }, key("records:read"), "ok"],
  ["a narrowed scope, this name", { scope: "records:read", per: "name" }, key("records:read:posts"), "ok"],
  ["a narrowed scope, another name", { scope: "records:read", per: "name" }, key("records:read:users"), 403],
  ["a scope, admin", "secrets:read", key("admin"), "ok"],
])("%s → %p", (_name, declared, caller, expected) => {
  const run = () => authorizeRoute(declared, PARAMS, caller);
  if (expected === "ok") expect(run()).toBe(caller ?? ANONYMOUS);
  else expect(run).toThrow(expected === 401 ? UnauthorizedError : ForbiddenError);
});

test("a 403 names the narrowed scope the request needed", () => {
  try {
    authorizeRoute({ scope: "records:write", per: "name" }, PARAMS, key("records:read"));
    throw new Error("not refused");
  } catch (err) {
    expect((err as ForbiddenError).toJSON()).toEqual({
      status: 403,
      code: "FORBIDDEN",
      message: 'this key lacks the scope "records:write:posts" that the request needs',
      data: { scope: { code: "missing_scope", message: "records:write:posts" } },
    });
  }
});
