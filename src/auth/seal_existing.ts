// At start: refuse a key that does not open this database's secrets (or a missing one when they
// are sealed), then seal whatever an earlier start left plain — setting HOOKD_ENCRYPTION_KEY on an
// existing database seals its signing secrets and JWT private key in place.
import { ConfigError } from "../config";
import type { Db, InStatement } from "../db/client";
import { type AtRest, isSealedBytes, isSealedText } from "./at_rest";

const CHECK_KEY = "at_rest_check";
const CHECK_TEXT = "hookd secrets at rest";

/** prepareAtRest checks the key against the database's check value and seals what is still plain. */
export async function prepareAtRest(db: Db, atRest: AtRest): Promise<void> {
  const row = (await db.execute({ sql: "SELECT value FROM _settings WHERE key = ?", args: [CHECK_KEY] })).rows[0];
  const check = row ? String(row.value) : null;
  if (!atRest.sealing) {
    if (check !== null)
      throw new ConfigError(
        "HOOKD_ENCRYPTION_KEY: this database's secrets are sealed; start with the key that sealed them",
      );
    return;
  }
  if (check !== null && !opens(atRest, check))
    throw new ConfigError(
      "HOOKD_ENCRYPTION_KEY: this key does not open this database's secrets (they were sealed with another key)",
    );
  await db.batch(
    [
      ...(await sealSigningSecrets(db, atRest)),
      ...(await sealJwtKeys(db, atRest)),
      {
        sql: "INSERT OR IGNORE INTO _settings (key, value) VALUES (?, ?)",
        args: [CHECK_KEY, atRest.sealText(CHECK_TEXT)],
      },
    ],
    "write",
  );
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
