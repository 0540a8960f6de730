// Signing secrets at rest in _target_secrets, one row per target. Definitions never read
// this table, so no list or get answer can carry a secret; only the secret endpoints do.
// Keys are stored as AtRest seals them (sealed with HOOKD_ENCRYPTION_KEY, plain without).
import type { AtRest } from "../auth/at_rest";
import type { Db, InStatement } from "../db/client";
import type { Clock } from "../runtime/clock";
import type { Signals } from "../runtime/signals";
import { NotFoundError } from "../errors";
import { formatSecret, generateKey, parseGraceSeconds, parseSecret } from "./signing_secret";

/** newSecretStatement gives a target a fresh key (the given one, or a random one), forgetting any old key. */
export function newSecretStatement(atRest: AtRest, target: string, key: Uint8Array = generateKey()): InStatement {
  return {
    sql: "INSERT OR REPLACE INTO _target_secrets (target, key) VALUES (?, ?)",
    args: [target, atRest.sealBytes(key)],
  };
}

/** keepSecretStatement gives a kept target a random key only if it has none. */
export function keepSecretStatement(atRest: AtRest, target: string): InStatement {
  return {
    sql: "INSERT OR IGNORE INTO _target_secrets (target, key) VALUES (?, ?)",
    args: [target, atRest.sealBytes(generateKey())],
  };
}

/** readSecret answers a target's current secret as whsec_…; `what` names the target in a 404. */
export async function readSecret(
  { db, atRest }: { db: Db; atRest: AtRest },
  target: string,
  what: string,
): Promise<string> {
  const rs = await db.execute({ sql: "SELECT key FROM _target_secrets WHERE target = ?", args: [target] });
  if (!rs.rows[0]) throw new NotFoundError(`signing secret of ${what}`);
  return formatSecret(atRest.openBytes(new Uint8Array(rs.rows[0].key as ArrayBuffer)));
}

/** RotateInput is a rotate body: an optional new key and how long the old one keeps signing. */
export interface RotateInput {
  key?: unknown;
  gracePeriodSeconds?: unknown;
}

/**
 * rotateSecret replaces a target's key (with the given one or a random one) and answers it.
 * The old key keeps signing beside the new one for the grace period; a second rotation
 * within it drops the oldest key.
 */
export async function rotateSecret(
  { db, clock, atRest, signals }: { db: Db; clock: Clock; atRest: AtRest; signals: Pick<Signals, "catalogueChanged"> },
  target: string,
  input: RotateInput,
  what: string,
): Promise<string> {
  const key = input.key === undefined || input.key === null ? generateKey() : parseSecret(input.key, "key");
  const grace = parseGraceSeconds(input.gracePeriodSeconds);
  const expires = grace > 0 ? new Date(clock.now().getTime() + grace * 1000).toISOString() : null;
  const rs = await db.execute({
    sql: `UPDATE _target_secrets SET previous_key = CASE WHEN :expires IS NULL THEN NULL ELSE key END,
            previous_expires_at = :expires, key = :key WHERE target = :target`,
    args: { key: atRest.sealBytes(key), expires, target },
  });
  if (rs.rowsAffected === 0) throw new NotFoundError(`signing secret of ${what}`);
  signals.catalogueChanged.emit();
  return formatSecret(key);
}
