// A key holding keys:write cannot make a key that outreaches it: not a scope it lacks (admin,
// a wider records scope), and not a longer life — a key that expires cannot mint one that
// outlives it, or an operator's short-lived key would make itself permanent.
import { afterAll, describe, expect, test } from "bun:test";
import { bearer, mintKeyFor } from "../support/keys";
import { makeTestApp } from "../support/test_app";

const t = await makeTestApp();
afterAll(() => t.deps.db.close());

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

async function keyExpiring(expiresAt: string, scopes: string[]): Promise<string> {
  const res = await t.request("POST", "/api/keys", { name: "temporary", scopes, expiresAt });
  expect(res.status).toBe(200);
  return res.body.key;
}

const mint = (key: string, body: Record<string, unknown>) => t.request("POST", "/api/keys", body, bearer(key));

describe("a keys:write key", () => {
  test("cannot mint admin, a wider records scope, or revoke a wider key", async () => {
    const minter = await mintKeyFor(t, ["keys:write", "records:read:posts"]);
    for (const scopes of [["admin"], ["records:read"], ["records:read:orders"], ["secrets:read"]]) {
      const res = await mint(minter, { name: "up", scopes });
      expect(res.status).toBe(403);
    }
    const wider = await t.request("POST", "/api/keys", { name: "wide", scopes: ["keys:write", "records:read"] });
    expect((await t.request("DELETE", `/api/keys/${wider.body.id}`, undefined, bearer(minter))).status).toBe(403);
  });

  test("that expires cannot mint a key without expiry, or expiring after it, REST and GraphQL", async () => {
    const ends = inDays(1);
    const minter = await keyExpiring(ends, ["keys:write", "logs:read"]);
    for (const expiresAt of [undefined, null, inDays(30)]) {
      const res = await mint(minter, { name: "forever", scopes: ["logs:read"], expiresAt });
      expect(res.status).toBe(400);
      expect(res.body.data.expiresAt.message).toContain(ends);
    }
    const gql = await t.request(
      "POST",
      "/graphql",
      { query: `mutation { createApiKey(input: {name: "forever", scopes: ["logs:read"]}) { key } }` },
      bearer(minter),
    );
    expect(gql.body.errors[0].message).toContain("expiresAt");
  });

  test("that expires may mint keys ending at or before it", async () => {
    const ends = inDays(2);
    const minter = await keyExpiring(ends, ["keys:write", "logs:read"]);
    for (const expiresAt of [inDays(1), ends]) {
      const res = await mint(minter, { name: "shorter", scopes: ["logs:read"], expiresAt });
      expect(res.status).toBe(200);
      expect(res.body.expiresAt).toBe(expiresAt);
    }
  });
});
