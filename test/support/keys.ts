// Minting API keys through the admin token, for the tests of scopes.
import { SCOPES } from "../../src/auth/scopes";
import type { TestApp } from "./test_app";

/** mintKeyFor makes a key with these scopes through POST /api/keys and answers it (hk_…). */
export async function mintKeyFor(t: TestApp, scopes: string[], name = "test key"): Promise<string> {
  const res = await t.request("POST", "/api/keys", { name, scopes });
  if (res.status !== 200) throw new Error(`minting ${scopes.join(",")}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.key;
}

/** baseScope is a scope without the name it is narrowed to: records:read:posts → records:read. */
export function baseScope(scope: string): string {
  return scope.split(":").slice(0, 2).join(":");
}

/** everyScopeBut answers every scope except `admin` and the (base of the) one given. */
export function everyScopeBut(scope: string): string[] {
  return SCOPES.filter((s) => s !== "admin" && s !== baseScope(scope));
}

/** bearer is the header set that sends a key. */
export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
