// Starting on a libSQL server: three instances migrating one fresh database at the same
// moment apply each migration once between them, and a libsql:// URL with
// HOOKD_DB_AUTH_TOKEN reaches a server that requires a token.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { openDatabase } from "../../src/db/client";
import { migrate } from "../../src/db/migrate";
import { MIGRATIONS } from "../../src/db/migrations";
import { buildBinaryOnce } from "../support/binary";
import { api, SQLD_CLUSTER_ARGS, startInstance, stopInstances, type Instance } from "../support/cluster";
import { sqldAvailable, startSqld } from "../support/sqld";

const keyDir = mkdtempSync(join(tmpdir(), "hookd-sqld-key-"));
const started: Instance[] = [];
beforeAll(() => buildBinaryOnce(), 120_000);
afterAll(async () => {
  await stopInstances(started);
  rmSync(keyDir, { recursive: true, force: true });
});

test.skipIf(!sqldAvailable)(
  "three migrate() calls at once on a fresh server apply each migration exactly once between them",
  async () => {
    const sqld = await startSqld(10_000, SQLD_CLUSTER_ARGS);
    const dbs = await Promise.all([1, 2, 3].map(() => openDatabase(sqld.url)));
    try {
      const applied = await Promise.all(dbs.map((db) => migrate(db)));
      expect(applied.flat().sort((x, y) => x - y)).toEqual(MIGRATIONS.map((m) => m.version));
      expect((await dbs[0]!.execute("SELECT count(*) AS n FROM _migrations")).rows[0]!.n).toBe(MIGRATIONS.length);
    } finally {
      for (const db of dbs) db.close();
      await sqld.stop();
    }
  },
);

test.skipIf(!sqldAvailable)(
  "libsql:// with HOOKD_DB_AUTH_TOKEN reaches a server that requires a token; without it, start-up fails and says why",
  async () => {
    // sqld verifies client tokens as Ed25519-signed JWTs against this public key.
    const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const keyFile = join(keyDir, "jwt_key.pem");
    writeFileSync(keyFile, await exportSPKI(publicKey));
    const token = await new SignJWT({}).setProtectedHeader({ alg: "EdDSA" }).setIssuedAt().sign(privateKey);
    const sqld = await startSqld(10_000, [...SQLD_CLUSTER_ARGS, "--auth-jwt-key-file", keyFile]);
    const url = `libsql://127.0.0.1:${sqld.port}?tls=0`;
    try {
      const refused = await startInstance(url, "no-token").then(
        (i) => (started.push(i), "started"),
        (err: Error) => err.message,
      );
      // A server that cannot be reached is a start-up refusal: one line, exit code 2.
      expect(refused).toContain("exited with 2 before listening");
      expect(refused).toContain("HOOKD_DB_URL");
      expect(refused).toMatch(/401|Unauthorized|auth/i);

      const withToken = await startInstance(url, "with-token", { HOOKD_DB_AUTH_TOKEN: token });
      started.push(withToken);
      expect(
        (await api(withToken, "POST", "/api/collections", { name: "guarded", fields: [{ name: "x", type: "text" }] }))
          .status,
      ).toBe(200);
      const record = await api(withToken, "POST", "/api/collections/guarded/records", { x: "through a token" });
      expect(record.body.x).toBe("through a token");
    } finally {
      await stopInstances(started);
      await sqld.stop();
    }
  },
  60_000,
);
