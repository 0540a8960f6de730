// At start: refuse a key that does not open this database's secrets (or a missing one when they
// are sealed), then seal whatever an earlier start left plain — setting HOOKD_ENCRYPTION_KEY on an
// existing database seals in place its signing secrets, JWT private key and target header values
// (definitions, the capture triggers that copy them, and every delivery row).
import { forgetCollections } from "./catalogue_cache";
import { createCaptureTriggers, dropCaptureTriggers } from "./capture_triggers";
import { listCollections } from "./collection_lookup";
import { ConfigError } from "../config";
import type { Db, InStatement } from "../db/client";
import type { Clock } from "../runtime/clock";
import type { Logger } from "../runtime/logger";
import { type AtRest, isSealedBytes, isSealedText } from "../auth/at_rest";
import { sealHeaders } from "../auth/header_sealing";

const CHECK_KEY = "at_rest_check";
const CHECK_TEXT = "hookd secrets at rest";

// Delivery rows are sealed in batches of this many, so a large log never makes one huge transaction.
const LOG_BATCH = 500;

/** prepareAtRest checks the key against the database's check value and, the first time a key is set, seals what is plain. */
export async function prepareAtRest(
  { db, clock, log }: { db: Db; clock: Clock; log: Logger },
  atRest: AtRest,
): Promise<void> {
  const row = (await db.execute({ sql: "SELECT value FROM _settings WHERE key = ?", args: [CHECK_KEY] })).rows[0];
  const check = row ? String(row.value) : null;
  if (!atRest.sealing) {
    if (check !== null)
      throw new ConfigError(
        "HOOKD_ENCRYPTION_KEY: this database's secrets are sealed; start with the key that sealed them",
      );
    return;
  }
  if (check !== null) {
    if (!opens(atRest, check))
      throw new ConfigError(
        "HOOKD_ENCRYPTION_KEY: this key does not open this database's secrets (they were sealed with another key)",
      );
    // Sealed when the key was first set; every write since seals its values.
    return;
  }
  await db.batch(
    [
      ...(await sealSigningSecrets(db, atRest)),
      ...(await sealJwtKeys(db, atRest)),
      ...(await sealTargetHeaders(db, atRest)),
      ...(await sealTriggerHeaders({ db, clock }, atRest)),
    ],
    "write",
  );
  forgetCollections(db);
  const rows = await sealDeliveryHeaders(db, atRest);
  // Last: a start cut short before this seals again (sealing skips what is sealed already).
  await db.execute({
    sql: "INSERT OR IGNORE INTO _settings (key, value) VALUES (?, ?)",
    args: [CHECK_KEY, atRest.sealText(CHECK_TEXT)],
  });
  log.info("secrets sealed with HOOKD_ENCRYPTION_KEY", { deliveryRows: rows });
}

function opens(atRest: AtRest, check: string): boolean {
  try {
    return atRest.openText(check) === CHECK_TEXT;
  } catch {
    return false;
  }
}

// Each update names the plain value it replaces, so two instances sealing at once seal it once.
async function sealSigningSecrets(db: Db, atRest: AtRest): Promise<InStatement[]> {
  const rows = (await db.execute("SELECT target, key, previous_key FROM _target_secrets")).rows;
  const statements: InStatement[] = [];
  for (const r of rows) {
    for (const column of ["key", "previous_key"] as const) {
      if (r[column] === null) continue;
      const value = new Uint8Array(r[column] as ArrayBuffer);
      if (isSealedBytes(value)) continue;
      statements.push({
        sql: `UPDATE _target_secrets SET ${column} = ? WHERE target = ? AND ${column} = ?`,
        args: [atRest.sealBytes(value), r.target, value],
      });
    }
  }
  return statements;
}

async function sealJwtKeys(db: Db, atRest: AtRest): Promise<InStatement[]> {
  const rows = (await db.execute("SELECT kid, private_jwk FROM _jwt_keys")).rows;
  return rows
    .filter((r) => !isSealedText(String(r.private_jwk)))
    .map((r) => ({
      sql: "UPDATE _jwt_keys SET private_jwk = ? WHERE kid = ? AND private_jwk = ?",
      args: [atRest.sealText(String(r.private_jwk)), r.kid, r.private_jwk],
    }));
}

// Standalone webhooks and HTTP cron jobs keep their headers as a JSON column.
async function sealTargetHeaders(db: Db, atRest: AtRest): Promise<InStatement[]> {
  const statements: InStatement[] = [];
  for (const table of ["_webhooks", "_cron_jobs"]) {
    const rows = (await db.execute(`SELECT id, headers FROM ${table} WHERE headers NOT IN ('{}', '')`)).rows;
    for (const r of rows)
      statements.push({
        sql: `UPDATE ${table} SET headers = ? WHERE id = ? AND headers = ?`,
        args: [JSON.stringify(sealHeaders(atRest, JSON.parse(String(r.headers)))), r.id, r.headers],
      });
  }
  return statements;
}

// A collection's triggers are in its options, and its capture triggers copy their headers into
// each delivery: both are written again from the sealed definition.
async function sealTriggerHeaders(deps: { db: Db; clock: Clock }, atRest: AtRest): Promise<InStatement[]> {
  const statements: InStatement[] = [];
  for (let page = 1; ; page++) {
    const { items } = await listCollections(deps, { page, perPage: 200 });
    for (const c of items) {
      if (!c.options.triggers.some((t) => Object.keys(t.headers).length > 0)) continue;
      const triggers = c.options.triggers.map((t) => ({ ...t, headers: sealHeaders(atRest, t.headers) }));
      const sealed = { ...c, options: { ...c.options, triggers } };
      statements.push(
        { sql: "UPDATE _collections SET options = ? WHERE id = ?", args: [JSON.stringify(sealed.options), c.id] },
        ...dropCaptureTriggers(c),
        ...createCaptureTriggers(sealed),
      );
    }
    if (items.length < 200) return statements;
  }
}

async function sealDeliveryHeaders(db: Db, atRest: AtRest): Promise<number> {
  let sealed = 0;
  for (let after = ""; ; ) {
    const rows = (
      await db.execute({
        sql: "SELECT id, headers FROM _webhook_logs WHERE id > ? ORDER BY id LIMIT ?",
        args: [after, LOG_BATCH],
      })
    ).rows;
    if (rows.length === 0) return sealed;
    after = String(rows[rows.length - 1]!.id);
    const statements: InStatement[] = [];
    for (const r of rows) {
      let headers: unknown;
      try {
        headers = JSON.parse(String(r.headers ?? "{}"));
      } catch {
        continue;
      }
      if (typeof headers !== "object" || headers === null || Object.keys(headers).length === 0) continue;
      statements.push({
        sql: "UPDATE _webhook_logs SET headers = ? WHERE id = ? AND headers = ?",
        args: [JSON.stringify(sealHeaders(atRest, headers as Record<string, string>)), r.id, r.headers],
      });
    }
    if (statements.length > 0) await db.batch(statements, "write");
    sealed += statements.length;
  }
}
