// Turns a presented token into an Access: the admin token, or an API key found by its hash.
// Keys are cached per instance and looked up again once their entry is pollMs old, so a key
// revoked elsewhere stops working here within HOOKD_POLL_MS; revoking here forgets at once.
import type { Db } from "../db/client";
import type { Clock } from "../runtime/clock";
import type { Logger } from "../runtime/logger";
import { UnauthorizedError } from "../errors";
import { ADMIN_ACCESS, type Access } from "./access";
import type { AdminAuth } from "./admin_token";
import { type ApiKey, findKeyByHash, KEY_PREFIX, keyHash, touchKey } from "./key_store";

// last_used is a convenience for operators; one write a minute per key and instance is plenty.
const TOUCH_EVERY_MS = 60_000;
// Entries are only made for keys that exist, but a busy instance should not grow without bound.
const MAX_CACHED = 10_000;

interface CacheEntry {
  lookup: Promise<ApiKey | null>;
  /** keyId is set once the lookup has answered. */
  keyId?: string;
  at: number;
  touchedAt: number;
}

/** AuthenticatorDeps are the parts an Authenticator reads. */
export interface AuthenticatorDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  admin: AdminAuth;
  pollMs: number;
}

/** Authenticator answers who a request's token belongs to, or null for none. */
export class Authenticator {
  private cache = new Map<string, CacheEntry>();

  constructor(private readonly deps: AuthenticatorDeps) {}

  /** authenticate answers the admin's or a key's Access, null for an unknown token; an expired key is a 401 saying so. */
  async authenticate(token: string | null): Promise<Access | null> {
    if (token === null) return null;
    if (this.deps.admin.verify(token)) return ADMIN_ACCESS;
    if (!token.startsWith(KEY_PREFIX)) return null;
    const hash = keyHash(token);
    const now = this.deps.clock.now().getTime();
    let entry = this.cache.get(hash);
    if (!entry || now - entry.at >= this.deps.pollMs) {
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      const fresh: CacheEntry = {
        lookup: findKeyByHash(this.deps.db, hash),
        at: now,
        touchedAt: entry?.touchedAt ?? 0,
      };
      fresh.lookup.then(
        (k) => (fresh.keyId = k?.id),
        () => {},
      );
      this.cache.set(hash, fresh);
      entry = fresh;
    }
    let key: ApiKey | null;
    try {
      key = await entry.lookup;
    } catch (err) {
      if (this.cache.get(hash) === entry) this.cache.delete(hash);
      throw err;
    }
    if (!key) {
      this.cache.delete(hash);
      return null;
    }
    if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now)
      throw new UnauthorizedError(`this API key expired at ${key.expiresAt}`);
    if (now - entry.touchedAt >= TOUCH_EVERY_MS) {
      entry.touchedAt = now;
      await touchKey(this.deps.db, key.id, new Date(now).toISOString()).catch((err) =>
        this.deps.log.warn("could not record a key's last use", { key: key.id, error: String(err) }),
      );
    }
    const access: Access = { actor: key.id, scopes: new Set(key.scopes) };
    if (key.expiresAt !== null) access.expiresAt = key.expiresAt;
    return access;
  }

  /** forget drops every cached entry of a revoked key, so this instance refuses it at once. */
  forget(id: string): void {
    // A lookup still under way may have read the row before the delete: drop those too.
    for (const [hash, entry] of this.cache)
      if (entry.keyId === id || entry.keyId === undefined) this.cache.delete(hash);
  }
}
