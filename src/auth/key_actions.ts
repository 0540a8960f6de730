// What REST and GraphQL do with keys on behalf of a caller: a key holding keys:write may
// mint or revoke only keys whose every scope it holds itself, so it cannot raise its own reach.
import type { Db } from "../db/client";
import type { Clock } from "../runtime/clock";
import { fieldError } from "../errors";
import { type Access, requireScope } from "./access";
import type { Authenticator } from "./authenticator";
import { parseKeyRequest } from "./key_input";
import { logConfigChange, type ChangeDeps } from "./config_changes";
import { type ApiKey, createKey, deleteKey, getKey, type NewApiKey } from "./key_store";

type KeyDeps = { db: Db; clock: Clock; auth: Authenticator } & ChangeDeps;

/**
 * mintKey validates a key request and makes the key, refusing (403) a scope the caller does not
 * hold, and (400) an expiry later than the caller's own: a short-lived key would otherwise make
 * itself permanent.
 */
export async function mintKey(deps: KeyDeps, access: Access, input: unknown): Promise<NewApiKey> {
  const request = parseKeyRequest(input, deps.clock.now());
  for (const scope of request.scopes) requireScope(access, scope);
  const ends = access.expiresAt;
  if (ends !== undefined && (request.expiresAt === null || Date.parse(request.expiresAt) > Date.parse(ends)))
    throw fieldError("expiresAt", "after_caller", `must be at or before ${ends}, when the key making it expires`);
  const key = await createKey(deps, request);
  logConfigChange(deps, "API key created", { key: key.id, name: key.name, scopes: key.scopes });
  return key;
}

/** revokeKey deletes a key, refusing (403) one with a scope the caller does not hold; this instance forgets it at once. */
export async function revokeKey(deps: KeyDeps, access: Access, id: string): Promise<ApiKey> {
  const key = await getKey(deps, id);
  for (const scope of key.scopes) requireScope(access, scope);
  await deleteKey(deps, id);
  deps.auth.forget(id);
  logConfigChange(deps, "API key revoked", { key: key.id, name: key.name });
  return key;
}

/** Caller is what GET /api/keys/self answers: who the token is and what it may do. */
export interface Caller {
  id: string;
  name: string;
  scopes: string[];
  expiresAt: string | null;
}

/** describeCaller answers the admin token, a metrics token or the caller's key as a Caller. */
export async function describeCaller(deps: KeyDeps, access: Access): Promise<Caller> {
  const scopes = [...access.scopes].sort();
  if (access.actor === "admin") return { id: "admin", name: "admin token", scopes, expiresAt: null };
  const key = await getKey(deps, access.actor).catch(() => null);
  return { id: access.actor, name: key?.name ?? access.actor, scopes, expiresAt: key?.expiresAt ?? null };
}
