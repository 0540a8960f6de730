// Two instances on one database that disagree on HOOKD_ALLOW_NETS (issue 13 item 7): the one
// whose own allow-list refuses a target never finishes that delivery — it goes back to
// pending without using a try and is left for the instance allowed to reach it — and both
// say loudly that they disagree. Also: migration 008 upgrades a database of the previous release.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startDispatcher, type Dispatcher } from "../../src/dispatch/dispatcher";
import { startInstanceRegistry, type InstanceRegistry } from "../../src/dispatch/instance_registry";
import { openDatabase } from "../../src/db/client";
import { migrate } from "../../src/db/migrate";
import { MIGRATIONS } from "../../src/db/migrations";
import type { Logger } from "../../src/runtime/logger";
import { parseCidrList } from "../../src/lib/cidr";
import { makeHookedCollection, waitForLogs } from "../support/deliveries";
import { startReceiver, type Receiver } from "../support/receiver";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp, type TestApp } from "../support/test_app";
import { waitUntil } from "../support/wait";

function capturingLogger(): Logger & { lines: { level: string; msg: string; fields: Record<string, unknown> }[] } {
  const lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  const at =
    (level: string) =>
    (msg: string, fields: Record<string, unknown> = {}) =>
      void lines.push({ level, msg, fields });
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

let receiver: Receiver;
let allowed: TestApp;
let refusing: TestApp;
const allowedLog = capturingLogger();
const refusingLog = capturingLogger();
const registries: InstanceRegistry[] = [];
const dispatchers: Dispatcher[] = [];

beforeAll(async () => {
  receiver = startReceiver();
  const dbUrl = tempDbUrl("hookd-allowlist-");
  allowed = await makeTestApp(
    { dbUrl, instanceId: "allowed", allowNets: parseCidrList("127.0.0.0/8"), pollMs: 50 },
    { log: allowedLog },
  );
  refusing = await makeTestApp({ dbUrl, instanceId: "refusing", allowNets: [], pollMs: 50 }, { log: refusingLog });
});
afterAll(async () => {
  for (const r of registries) await r.stop();
  for (const d of dispatchers) await d.stop();
  await receiver.stop();
});

test("instances that disagree on the allow-list say so: the one starting at once, the other at its next heartbeat", async () => {
  registries.push(await startInstanceRegistry(allowed.deps, { heartbeatMs: 50, comesBack: true }));
  registries.push(await startInstanceRegistry(refusing.deps, { heartbeatMs: 50 }));
  const disagree = (log: ReturnType<typeof capturingLogger>) =>
    log.lines.filter((l) => l.level === "warn" && l.msg.startsWith("INSTANCES DISAGREE ON HOOKD_ALLOW_NETS"));
  expect(disagree(refusingLog)[0]?.fields).toMatchObject({
    instance: "refusing",
    allowNets: "(none)",
    otherInstance: "allowed",
    otherAllowNets: "127.0.0.0/8",
  });
  for (let i = 0; i < 100 && disagree(allowedLog).length === 0; i++) await Bun.sleep(10);
  expect(disagree(allowedLog)[0]?.fields).toMatchObject({
    instance: "allowed",
    otherInstance: "refusing",
    otherAllowNets: "(none)",
  });
  // Three more heartbeats of the allowed instance (each looks at the live instances again).
  const beatsOf = async () =>
    String(
      (await allowed.deps.db.execute("SELECT heartbeat_at FROM _instances WHERE id = 'allowed'")).rows[0]!.heartbeat_at,
    );
  const seen = new Set([await beatsOf()]);
  await waitUntil("three more heartbeats", async () => seen.add(await beatsOf()).size > 3);
  expect(disagree(allowedLog)).toHaveLength(1);
});

test("a delivery the refusing instance claims goes back to pending without a try, is left alone by it, and the allowed instance sends it", async () => {
  dispatchers.push(await startDispatcher(refusing.deps));
  await makeHookedCollection(refusing, "internal", [{ action: "create", url: `${receiver.url}/hook`, retryLimit: 1 }]);
  await refusing.request("POST", "/api/collections/internal/records", { title: "x" });
  const [handedBack] = await waitForLogs(
    refusing.deps,
    "collection = 'internal'",
    (rows) => rows[0]?.refused_by === "refusing",
  );
  expect(handedBack).toMatchObject({ status: "pending", tries: 0, lease_owner: null });
  expect(handedBack!.error_msg).toContain("127.0.0.1 is a loopback address");
  expect(handedBack!.error_msg).toContain("left pending for an instance whose HOOKD_ALLOW_NETS allows it (allowed)");
  expect(
    refusingLog.lines.some(
      (l) => l.level === "warn" && l.msg.includes("left pending for an instance allowed to reach it"),
    ),
  ).toBe(true);

  // A later claim by the refusing instance (it takes, and hands back, a newer delivery) passed
  // this one by: it has not taken it again, and never failed it.
  await makeHookedCollection(refusing, "later", [{ action: "create", url: `${receiver.url}/later`, retryLimit: 1 }]);
  await refusing.request("POST", "/api/collections/later/records", { title: "y" });
  await waitForLogs(refusing.deps, "collection = 'later'", (rows) => rows[0]?.refused_by === "refusing");
  const [still] = await waitForLogs(refusing.deps, "collection = 'internal'", () => true, 0);
  expect(still).toMatchObject({ status: "pending", tries: 0, updated_at: handedBack!.updated_at });
  expect(receiver.requests).toHaveLength(0);

  dispatchers.push(await startDispatcher(allowed.deps));
  const [sent] = await waitForLogs(allowed.deps, "collection = 'internal'", (rows) => rows[0]?.status === "success");
  expect(sent).toMatchObject({ status: "success", tries: 1, http_status: 200 });
  expect(receiver.requests.filter((r) => r.path === "/hook")).toHaveLength(1);
});

test("a stopped instance with a stable id still counts, so its deliveries wait for it; one with a generated id does not", async () => {
  const rows = async () =>
    (await allowed.deps.db.execute("SELECT id FROM _instances ORDER BY id")).rows.map((r) => String(r.id));
  for (const r of registries.splice(0)) await r.stop();
  expect(await rows()).toEqual(["allowed"]);
});

test("migration 008 upgrades a database of the previous release in place", async () => {
  const db = await openDatabase(":memory:");
  try {
    await migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 8),
    );
    const now = new Date().toISOString();
    await db.execute({
      sql: "INSERT INTO _webhook_logs (id, source, webhook, url, next_attempt_at, created_at, updated_at) VALUES ('old', 'webhook', 'w', 'http://example.com', ?, ?, ?)",
      args: [now, now, now],
    });
    expect(
      await migrate(
        db,
        MIGRATIONS.filter((m) => m.version <= 8),
      ),
    ).toEqual([8]);
    const row = (await db.execute("SELECT id, status, refused_by FROM _webhook_logs")).rows.map((r) => ({ ...r }));
    expect(row).toEqual([{ id: "old", status: "pending", refused_by: null }]);
    expect((await db.execute("SELECT count(*) AS n FROM _instances")).rows[0]!.n).toBe(0);
  } finally {
    db.close();
  }
});
