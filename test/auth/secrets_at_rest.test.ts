// HOOKD_ENCRYPTION_KEY (docs/security.md): signing secrets and the JWT private key are stored sealed, so
// the database file holds neither, while deliveries are signed with them as before; setting the
// key on an existing database seals what is there; a wrong or missing key is refused at start.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { Webhook } from "standardwebhooks";
import { atRest, SealFailed } from "../../src/auth/at_rest";
import { bootDeps } from "../../src/boot";
import { ConfigError, loadConfig, testConfig } from "../../src/config";
import { silentLogger } from "../../src/runtime/logger";
import { startDispatcher } from "../../src/dispatch/dispatcher";
import { startReceiver } from "../support/receiver";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp } from "../support/test_app";

const KEY = "k".repeat(20) + "-at-rest-test-passphrase";
const OTHER_KEY = "o".repeat(20) + "-another-passphrase-here";
const SECRET = "whsec_c2VjcmV0LWJ5dGVzLWZvci1hdC1yZXN0LXRlc3Qh";
const SECRET_BYTES = Buffer.from(SECRET.slice(6), "base64");
const HEADER = "Bearer receiver-credential-7788";
const receiver = startReceiver();
const upgradeReceiver = startReceiver();
afterAll(async () => {
  await receiver.stop();
  await upgradeReceiver.stop();
});

// The database's bytes on disk, with its write-ahead log.
function fileBytes(dbUrl: string): Buffer {
  const path = dbUrl.replace(/^file:/, "");
  const parts = [readFileSync(path)];
  try {
    parts.push(readFileSync(`${path}-wal`));
  } catch {}
  return Buffer.concat(parts);
}

describe("sealing", () => {
  test("bytes and text come back as they went in; another key cannot open them", () => {
    const sealer = atRest(KEY);
    const sealedBytes = sealer.sealBytes(SECRET_BYTES);
    const sealedText = sealer.sealText('{"d":"private"}');
    expect(Buffer.from(sealedBytes).includes(SECRET_BYTES)).toBe(false);
    expect(sealedText).not.toContain("private");
    expect(Buffer.from(sealer.openBytes(sealedBytes))).toEqual(SECRET_BYTES);
    expect(sealer.openText(sealedText)).toBe('{"d":"private"}');
    expect(sealer.sealText(sealedText)).toBe(sealedText);
    expect(() => atRest(OTHER_KEY).openText(sealedText)).toThrow(SealFailed);
    expect(() => atRest(undefined).openBytes(sealedBytes)).toThrow(SealFailed);
  });

  test("HOOKD_ENCRYPTION_KEY needs at least 32 characters", () => {
    expect(() => loadConfig({}, { HOOKD_ENCRYPTION_KEY: "short" })).toThrow(/HOOKD_ENCRYPTION_KEY/);
    expect(loadConfig({}, { HOOKD_ENCRYPTION_KEY: KEY }).encryptionKey).toBe(KEY);
  });
});

describe("with HOOKD_ENCRYPTION_KEY", () => {
  test("the file holds neither the signing secret nor the JWT private key; deliveries verify with both", async () => {
    const dbUrl = tempDbUrl();
    const t = await makeTestApp({ dbUrl, encryptionKey: KEY });
    const dispatcher = await startDispatcher(t.deps);
    try {
      const made = await t.request("POST", "/api/webhooks", {
        name: "sealed",
        url: `${receiver.url}/sealed`,
        secret: SECRET,
        jwtEnabled: true,
        headers: { "X-Receiver-Key": HEADER },
      });
      expect(made.status).toBe(200);
      expect(made.body.headers).toEqual({ "X-Receiver-Key": HEADER });
      await t.request("POST", "/api/collections", {
        name: "notes",
        schema: [{ name: "title", type: "text" }],
        options: {
          triggers: [{ action: "create", url: `${receiver.url}/notes`, headers: { "X-Receiver-Key": HEADER } }],
        },
      });
      expect((await t.request("GET", "/api/webhooks/sealed/secret")).body).toEqual({ key: SECRET });
      await t.request("POST", "/api/webhooks/sealed/trigger", { hello: "sealed" });
      const [req] = await receiver.waitFor(1);
      expect(() => new Webhook(SECRET).verify(req!.body, req!.headers)).not.toThrow();
      expect(req!.headers.authorization).toMatch(/^Bearer ey/);
      expect(req!.headers["x-receiver-key"]).toBe(HEADER);
      await t.request("POST", "/api/collections/notes/records", { title: "sealed" });
      const [, note] = await receiver.waitFor(2);
      expect(note!.headers["x-receiver-key"]).toBe(HEADER);
      expect((await t.request("GET", "/api/collections/notes")).body.options.triggers[0].headers).toEqual({
        "X-Receiver-Key": HEADER,
      });

      const jwk = (await t.deps.db.execute("SELECT private_jwk FROM _jwt_keys")).rows[0]!.private_jwk;
      expect(String(jwk)).toStartWith("enc:v1:");
      const onDisk = fileBytes(dbUrl);
      expect(onDisk.includes(SECRET_BYTES)).toBe(false);
      expect(onDisk.includes(Buffer.from(SECRET))).toBe(false);
      expect(onDisk.includes(Buffer.from('"d":"'))).toBe(false);
      expect(onDisk.includes(Buffer.from("receiver-credential-7788"))).toBe(false);
    } finally {
      await dispatcher.stop();
      t.deps.db.close();
    }
  });

  test("setting the key on an existing database seals what is there; a wrong or missing key is refused", async () => {
    const dbUrl = tempDbUrl();
    const plain = await makeTestApp({ dbUrl });
    await plain.request("POST", "/api/webhooks", {
      name: "old",
      url: `${receiver.url}/old`,
      secret: SECRET,
      headers: { "X-Receiver-Key": HEADER },
    });
    await plain.request("POST", "/api/collections", {
      name: "notes",
      schema: [{ name: "title", type: "text" }],
      options: {
        triggers: [
          { action: "create", url: `${upgradeReceiver.url}/old-notes`, headers: { "X-Receiver-Key": HEADER } },
        ],
      },
    });
    await plain.request("POST", "/api/collections/notes/records", { title: "queued before the key" });
    const plainKey = (await plain.deps.db.execute("SELECT key FROM _target_secrets")).rows[0]!.key;
    expect(Buffer.from(plainKey as ArrayBuffer)).toEqual(SECRET_BYTES);
    plain.deps.db.close();

    const sealed = await makeTestApp({ dbUrl, encryptionKey: KEY });
    const stored = (await sealed.deps.db.execute("SELECT key FROM _target_secrets")).rows[0]!.key;
    expect(Buffer.from(stored as ArrayBuffer).includes(SECRET_BYTES)).toBe(false);
    expect(
      String((await sealed.deps.db.execute("SELECT private_jwk FROM _jwt_keys")).rows[0]!.private_jwk),
    ).toStartWith("enc:v1:");
    expect((await sealed.request("GET", "/api/webhooks/old/secret")).body).toEqual({ key: SECRET });
    // Header values: definitions, the capture triggers' SQL and the queued delivery are sealed.
    const where = await sealed.deps.db.execute(
      `SELECT 'webhook' AS t, headers AS v FROM _webhooks UNION ALL SELECT 'collection', options FROM _collections
       UNION ALL SELECT 'log', headers FROM _webhook_logs UNION ALL SELECT 'schema', sql FROM sqlite_master WHERE sql IS NOT NULL`,
    );
    expect(where.rows.filter((r) => String(r.v).includes("receiver-credential-7788")).map((r) => r.t)).toEqual([]);
    expect((await sealed.request("GET", "/api/webhooks/old")).body.headers).toEqual({ "X-Receiver-Key": HEADER });
    const dispatcher = await startDispatcher(sealed.deps);
    try {
      await sealed.request("POST", "/api/collections/notes/records", { title: "after the key" });
      const notes = await upgradeReceiver.waitFor(2);
      expect(notes.map((r) => r.path)).toEqual(["/old-notes", "/old-notes"]);
      for (const r of notes) expect(r.headers["x-receiver-key"]).toBe(HEADER);
    } finally {
      await dispatcher.stop();
      sealed.deps.db.close();
    }

    for (const [encryptionKey, says] of [
      [OTHER_KEY, /does not open/],
      [undefined, /are sealed; start with the key/],
    ] as const) {
      const refused = bootDeps(testConfig({ dbUrl, encryptionKey }), silentLogger);
      await expect(refused).rejects.toThrow(ConfigError);
      await expect(refused).rejects.toThrow(says);
    }
    const again = await makeTestApp({ dbUrl, encryptionKey: KEY });
    expect((await again.request("GET", "/api/webhooks/old/secret")).body).toEqual({ key: SECRET });
    again.deps.db.close();
  });
});
