// The admin token guards every API but /healthz and the JWKS. Only its SHA-256 hash is
// kept: from HOOKD_ADMIN_TOKEN, or generated on the first start and printed once.
import { timingSafeEqual, createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/client";

const SETTING_KEY = "admin_token_sha256";

/** AdminAuth checks a presented token. */
export interface AdminAuth {
  verify(token: string | null): boolean;
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** loadAdminAuth uses the configured token, or the stored hash, or generates a token (passed to onGenerated once). */
export async function loadAdminAuth(
  db: Db,
  configured: string | undefined,
  onGenerated: (token: string) => void,
): Promise<AdminAuth> {
  let hash: Buffer;
  if (configured) {
    hash = sha256(configured);
  } else {
    const stored = await db.execute({ sql: "SELECT value FROM _settings WHERE key = ?", args: [SETTING_KEY] });
    if (stored.rows.length > 0) {
      hash = Buffer.from(String(stored.rows[0]!.value), "hex");
    } else {
      const token = randomBytes(24).toString("base64url");
      const inserted = await db.execute({
        sql: "INSERT OR IGNORE INTO _settings (key, value) VALUES (?, ?)",
        args: [SETTING_KEY, sha256(token).toString("hex")],
      });
      if (inserted.rowsAffected === 1) onGenerated(token);
      // Another instance that started at the same moment may have stored its own first.
      const winner = await db.execute({ sql: "SELECT value FROM _settings WHERE key = ?", args: [SETTING_KEY] });
      hash = Buffer.from(String(winner.rows[0]!.value), "hex");
    }
  }
  return { verify: (token) => token !== null && timingSafeEqual(sha256(token), hash) };
}

/** tokenFromRequest reads `Authorization: Bearer <token>` or `X-API-Key: <token>`. */
export function tokenFromRequest(req: Request): string | null {
  const auth = req.headers.get("authorization");
  const bearer = auth && /^Bearer\s+(.+)$/i.exec(auth.trim());
  if (bearer) return bearer[1]!;
  return req.headers.get("x-api-key");
}
