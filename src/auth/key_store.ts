// API keys in _api_keys: made (the key shown once), listed, revoked, and found by a presented key.
import { createHash, randomBytes } from "node:crypto";
import type { Db, Row } from "../db/client";
import { readAll } from "../db/read_page";
import type { AnswerBudget } from "../lib/answer_budget";
import { newId } from "../lib/new_id";
import type { Clock } from "../runtime/clock";
import { NotFoundError } from "../errors";
import type { KeyRequest } from "./key_input";

/** ApiKey is a stored key as listed: never the key itself. */
export interface ApiKey {
  id: string;
  name: string;
  scopes: string[];
  created: string;
  lastUsed: string | null;
  expiresAt: string | null;
}

/** NewApiKey is a key just made: `key` (hk_…) is answered this once and never again. */
export interface NewApiKey extends ApiKey {
  key: string;
}

/** KEY_PREFIX starts every API key, so a key is told apart from the admin token (and found by secret scanners). */
export const KEY_PREFIX = "hk_";

type KeyDeps = { db: Db; clock: Clock };

/** keyHash is the SHA-256, in hex, under which a key is stored and looked up. */
export function keyHash(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

function rowToKey(row: Row): ApiKey {
  return {
    id: String(row.id),
    name: String(row.name),
    scopes: JSON.parse(String(row.scopes)),
    created: String(row.created),
    lastUsed: row.last_used === null ? null : String(row.last_used),
    expiresAt: row.expires_at === null ? null : String(row.expires_at),
  };
}

const COLUMNS = "id, name, scopes, created, last_used, expires_at";

/** createKey stores a new key's hash and answers the key once. */
export async function createKey(deps: KeyDeps, request: KeyRequest): Promise<NewApiKey> {
  const key = KEY_PREFIX + randomBytes(32).toString("base64url");
  const stored: ApiKey = {
    id: newId(),
    name: request.name,
    scopes: request.scopes,
    created: deps.clock.now().toISOString(),
    lastUsed: null,
    expiresAt: request.expiresAt,
  };
  await deps.db.execute({
    sql: "INSERT INTO _api_keys (id, name, key_sha256, scopes, created, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
    args: [stored.id, stored.name, keyHash(key), JSON.stringify(stored.scopes), stored.created, stored.expiresAt],
  });
  return { ...stored, key };
}

/** listKeys answers every key, newest first. */
export function listKeys(deps: KeyDeps, budget: AnswerBudget): Promise<ApiKey[]> {
  return readAll(deps.db, `SELECT ${COLUMNS} FROM _api_keys ORDER BY created DESC, id`, budget, rowToKey);
}

/** getKey answers one key by id, or a 404. */
export async function getKey(deps: KeyDeps, id: string): Promise<ApiKey> {
  const rs = await deps.db.execute({ sql: `SELECT ${COLUMNS} FROM _api_keys WHERE id = ?`, args: [id] });
  if (rs.rows.length === 0) throw new NotFoundError(`API key "${id}"`);
  return rowToKey(rs.rows[0]!);
}

/** deleteKey revokes a key: its row goes, so no instance finds it on its next look. */
export async function deleteKey(deps: KeyDeps, id: string): Promise<void> {
  const rs = await deps.db.execute({ sql: "DELETE FROM _api_keys WHERE id = ?", args: [id] });
  if (rs.rowsAffected === 0) throw new NotFoundError(`API key "${id}"`);
}

/** findKeyByHash answers the key stored under a hash, or null. */
export async function findKeyByHash(db: Db, hash: string): Promise<ApiKey | null> {
  const rs = await db.execute({ sql: `SELECT ${COLUMNS} FROM _api_keys WHERE key_sha256 = ?`, args: [hash] });
  return rs.rows.length === 0 ? null : rowToKey(rs.rows[0]!);
}

/** touchKey records that a key was used at `at`. */
export async function touchKey(db: Db, id: string, at: string): Promise<void> {
  await db.execute({ sql: "UPDATE _api_keys SET last_used = ? WHERE id = ?", args: [at, id] });
}
