// Webhook JWTs. By default each instance signs with an ES256 key kept in _jwt_keys (the
// oldest key wins, so instances sharing a database agree on one); receivers verify against
// /.well-known/jwks.json. HOOKD_JWT_SECRET switches to HS256 with a shared secret.
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from "jose";
import type { Db } from "../db/client";
import type { AtRest } from "./at_rest";

const ALG = "ES256";

/** JwtSubject says what fired a delivery and where it goes. */
export interface JwtSubject {
  sub: string;
  aud: string;
  jti: string;
}

/** Signer signs webhook JWTs and publishes the keys that verify them. */
export interface Signer {
  sign(subject: JwtSubject): Promise<string>;
  jwks(): { keys: JWK[] };
}

interface SignerOptions {
  secret?: string;
  /** atRest seals the private key in _jwt_keys (HOOKD_ENCRYPTION_KEY). */
  atRest: AtRest;
  ttlSeconds: number;
  issuer: string;
  now: () => Date;
}

/** loadSigner reads (or on first start generates and stores) the signing key. */
export async function loadSigner(db: Db, opts: SignerOptions): Promise<Signer> {
  await ensureKey(db, opts.now, opts.atRest);
  const rows = (await db.execute("SELECT kid, private_jwk, public_jwk FROM _jwt_keys ORDER BY created, kid")).rows;
  const publicKeys = rows.map(
    (r) => ({ ...JSON.parse(String(r.public_jwk)), kid: String(r.kid), alg: ALG, use: "sig" }) as JWK,
  );
  const first = rows[0]!;
  const kid = String(first.kid);
  const key: CryptoKey | Uint8Array = opts.secret
    ? new TextEncoder().encode(opts.secret)
    : ((await importJWK(JSON.parse(opts.atRest.openText(String(first.private_jwk))), ALG)) as CryptoKey);
  const header = opts.secret ? { alg: "HS256", typ: "JWT" } : { alg: ALG, kid, typ: "JWT" };

  return {
    async sign({ sub, aud, jti }) {
      const iat = Math.floor(opts.now().getTime() / 1000);
      return new SignJWT({ roles: ["service", "webhook"] })
        .setProtectedHeader(header)
        .setIssuer(opts.issuer)
        .setSubject(sub)
        .setAudience(aud)
        .setIssuedAt(iat)
        .setExpirationTime(iat + opts.ttlSeconds)
        .setJti(jti)
        .sign(key);
    },
    jwks: () => ({ keys: opts.secret ? [] : publicKeys }),
  };
}

async function ensureKey(db: Db, now: () => Date, atRest: AtRest): Promise<void> {
  const existing = await db.execute("SELECT 1 FROM _jwt_keys LIMIT 1");
  if (existing.rows.length > 0) return;
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  // Instances starting together on one server all get here: only the first insert lands, so
  // they all sign with, and publish, the same single key.
  await db.execute({
    sql: "INSERT INTO _jwt_keys (kid, alg, private_jwk, public_jwk, created) SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM _jwt_keys)",
    args: [
      crypto.randomUUID(),
      ALG,
      atRest.sealText(JSON.stringify(await exportJWK(privateKey))),
      JSON.stringify(await exportJWK(publicKey)),
      now().toISOString(),
    ],
  });
}
