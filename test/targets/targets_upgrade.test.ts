// Upgrading a database made by the previous release (migrations 1–3, capture triggers
// written by its code): triggers get ids and secrets, webhooks and cron jobs get secrets,
// unfinished deliveries point at their target, and capture triggers are rewritten.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { bootDeps } from "../../src/boot";
import { testConfig } from "../../src/config";
import { openDatabase } from "../../src/db/client";
import { migrate } from "../../src/db/migrate";
import { MIGRATIONS } from "../../src/db/migrations";
import type { Deps } from "../../src/deps";
import { silentLogger } from "../../src/runtime/logger";
import { createApp } from "../../src/app";
import { CAPTURE_VERSION } from "../../src/collections/capture_triggers";
import { startDispatcher } from "../../src/dispatch/dispatcher";
import { Webhook } from "standardwebhooks";
import { startReceiver } from "../support/receiver";
import { tempDbUrl } from "../support/temp_db";

const dbUrl = tempDbUrl("hookd-upgrade-");
const COLLECTION_ID = "c0ffee0000000001";
const hook = (path: string) => ({
  action: path,
  url: `http://127.0.0.1:9/${path}`,
  method: "POST",
  headers: {},
  retryLimit: 5,
  jwtEnabled: false,
  timeoutMs: 15000,
  active: true,
});
const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

// The capture trigger as the previous release wrote it (no trigger_id, no target, always pending).
const OLD_CAPTURE = `CREATE TRIGGER "_capture_${COLLECTION_ID}_create" AFTER INSERT ON "posts" BEGIN
  INSERT INTO _webhook_logs (id, source, collection, action, record_id, url, method, headers, payload,
      jwt_enabled, timeout_ms, target_host, retry_limit, status, next_attempt_at, created_at, updated_at)
    SELECT d.id, 'trigger', 'posts', 'create', NEW.id, 'http://127.0.0.1:9/create', 'POST', '{}',
      json_object('id', d.id, 'action', 'create', 'collection', 'posts', 'record', json_object('id', NEW.id, 'title', NEW.title), 'oldRecord', NULL, 'timestamp', d.now),
      0, 15000, '127.0.0.1:9', 5, 'pending', d.now, d.now, d.now
    FROM (SELECT lower(hex(randomblob(16))) AS id, ${NOW} AS now) AS d;
END`;

let deps: Deps;

beforeAll(async () => {
  const old = await openDatabase(dbUrl);
  await migrate(
    old,
    MIGRATIONS.filter((m) => m.version <= 3),
  );
  await old.batch(
    [
      {
        sql: "INSERT INTO _collections (id, name, schema, options, created, updated) VALUES (?, 'posts', ?, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
        args: [
          COLLECTION_ID,
          JSON.stringify([{ name: "title", type: "text", required: false, options: {} }]),
          JSON.stringify({ triggers: [hook("create"), hook("update")] }),
        ],
      },
      `CREATE TABLE posts (id TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(8)))), created TEXT NOT NULL DEFAULT (${NOW}), updated TEXT NOT NULL DEFAULT (${NOW}), title TEXT)`,
      OLD_CAPTURE,
      "INSERT INTO posts (id, title) VALUES ('r1', 'before the upgrade')",
      `INSERT INTO _webhooks (id, name, url, created, updated) VALUES ('w1', 'notify', 'http://127.0.0.1:9/notify', ${NOW}, ${NOW})`,
      `INSERT INTO _cron_jobs (id, name, schedule, type, url, created, updated) VALUES ('j1', 'ping', '0 * * * *', 'http', 'http://127.0.0.1:9/ping', ${NOW}, ${NOW})`,
      `INSERT INTO _webhook_logs (id, source, webhook, url, target_host, next_attempt_at, created_at, updated_at) VALUES ('d-webhook', 'webhook', 'notify', 'http://127.0.0.1:9/notify', '127.0.0.1:9', ${NOW}, ${NOW}, ${NOW})`,
    ],
    "write",
  );
  old.close();
  deps = await bootDeps(testConfig({ dbUrl }), silentLogger);
});

afterAll(() => deps.db.close());

const rows = async (sql: string) => (await deps.db.execute(sql)).rows.map((r) => ({ ...r }));

test("every migration after 3 is applied once", async () => {
  expect((await rows("SELECT version FROM _migrations ORDER BY version")).map((r) => r.version)).toEqual(
    MIGRATIONS.map((m) => m.version),
  );
});

test("existing triggers get ids, kept in order, and every target a secret", async () => {
  const options = JSON.parse(String((await rows("SELECT options FROM _collections"))[0]!.options));
  expect(options.triggers.map((t: any) => t.action)).toEqual(["create", "update"]);
  for (const t of options.triggers) expect(t.id).toMatch(/^[0-9a-f]{16}$/);
  const targets = (await rows("SELECT target, length(key) AS n FROM _target_secrets ORDER BY target")).map((r) => [
    r.target,
    r.n,
  ]);
  expect(targets).toEqual([
    ["cron:j1", 32],
    ...options.triggers.map((t: any) => [`trigger:${COLLECTION_ID}:${t.id}`, 32]).sort(),
    ["webhook:w1", 32],
  ]);
});

test("unfinished deliveries point at their trigger or webhook", async () => {
  const options = JSON.parse(String((await rows("SELECT options FROM _collections"))[0]!.options));
  const createId = options.triggers[0].id;
  const logs = await rows("SELECT id, trigger_id, target, status FROM _webhook_logs ORDER BY rowid");
  expect(logs[0]).toMatchObject({
    trigger_id: createId,
    target: `trigger:${COLLECTION_ID}:${createId}`,
    status: "pending",
  });
  expect(logs[1]).toMatchObject({ id: "d-webhook", trigger_id: null, target: "webhook:w1", status: "pending" });
});

test("capture triggers are rewritten: a new write is captured with its trigger id, for both actions", async () => {
  expect((await rows("SELECT value FROM _settings WHERE key = 'capture_version'"))[0]!.value).toBe(
    String(CAPTURE_VERSION),
  );
  await deps.db.execute("INSERT INTO posts (id, title) VALUES ('r2', 'after')");
  await deps.db.execute("UPDATE posts SET title = 'changed' WHERE id = 'r2'");
  const logs = await rows(
    "SELECT id, action, trigger_id, target FROM _webhook_logs WHERE record_id = 'r2' ORDER BY rowid",
  );
  expect(logs.map((l) => l.action)).toEqual(["create", "update"]);
  for (const l of logs) {
    expect(String(l.target)).toBe(`trigger:${COLLECTION_ID}:${l.trigger_id}`);
    // ids in creation order (deliveries/delivery_id.ts): the rewritten triggers lead them with the time
    expect(Math.abs(parseInt(String(l.id).slice(0, 12), 16) - Date.now())).toBeLessThan(60_000);
  }
});

test("the API reads the upgraded collection, with health, and answers its secrets", async () => {
  const app = createApp(deps);
  const get = (path: string) =>
    app
      .fetch(new Request(`http://hookd.test${path}`, { headers: { authorization: "Bearer test-token" } }))
      .then((r) => r.json() as any);
  const c = await get("/api/collections/posts");
  expect(c.options.triggers[0]).toMatchObject({ paused: false, consecutiveFailures: 0 });
  expect((await get(`/api/collections/posts/triggers/${c.options.triggers[1].id}/secret`)).key).toMatch(/^whsec_/);
  expect((await get("/api/webhooks/notify/secret")).key).toMatch(/^whsec_/);
  expect((await get("/api/cron/ping")).paused).toBe(false);
});

test("the previous release's pending delivery is sent to the trigger's current URL, signed with its new secret", async () => {
  const receiver = startReceiver();
  const app = createApp(deps);
  const call = (method: string, path: string, body?: unknown) =>
    app
      .fetch(
        new Request(`http://hookd.test${path}`, {
          method,
          headers: { authorization: "Bearer test-token", "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      )
      .then((r) => r.json() as any);
  const c = await call("GET", "/api/collections/posts");
  const [create, update] = c.options.triggers;
  await call("PATCH", "/api/collections/posts", {
    triggers: [
      { ...create, url: `${receiver.url}/create` },
      { ...update, url: `${receiver.url}/update` },
    ],
  });
  const dispatcher = await startDispatcher(deps);
  try {
    const requests = await receiver.waitFor(3);
    const first = requests.find((r) => r.json?.record?.id === "r1")!;
    expect(first.path).toBe("/create");
    const { key } = await call("GET", `/api/collections/posts/triggers/${create.id}/secret`);
    expect(() => new Webhook(key).verify(first.body, first.headers)).not.toThrow();
  } finally {
    await dispatcher.stop();
    await receiver.stop();
  }
});
