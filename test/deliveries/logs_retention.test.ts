// Retention: with short settings, only finished deliveries past their age go (pending, held
// and processing never), in batches, and a pass runs once across two instances on one file.
import { describe, expect, test } from "bun:test";
import { ConfigError, loadConfig } from "../../src/config";
import { runRetentionPass, startRetention } from "../../src/deliveries/log_retention";
import { insertLogRows, type LogRowSeed } from "../support/log_rows";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp } from "../support/test_app";

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const STATUSES = ["pending", "processing", "held", "success", "failed", "cancelled"];

describe("settings", () => {
  const cases: [string, number][] = [
    ["1s", 1_000],
    ["90s", 90_000],
    ["12h", 43_200_000],
    ["7d", 604_800_000],
    ["0", 0],
    ["1500ms", 1_500],
    ["30", 30_000],
  ];
  for (const [raw, ms] of cases) {
    test(`HOOKD_RETAIN_SUCCESS=${raw} is ${ms} ms`, () => {
      expect(loadConfig({}, { HOOKD_RETAIN_SUCCESS: raw }).retainSuccessMs).toBe(ms);
    });
  }
  test("defaults: 7 days for success and cancelled, 30 days for failed", () => {
    expect(loadConfig({}, {})).toMatchObject({
      retainSuccessMs: 7 * 86_400_000,
      retainFailedMs: 30 * 86_400_000,
      retentionEveryMs: 60_000,
    });
  });
  for (const raw of ["7 days", "-1d", "1w", "12H", "", "500ms"]) {
    test(`HOOKD_RETAIN_FAILED=${JSON.stringify(raw)} stops start-up naming the setting`, () => {
      expect(() => loadConfig({}, { HOOKD_RETAIN_FAILED: raw })).toThrow(ConfigError);
      expect(() => loadConfig({}, { HOOKD_RETAIN_FAILED: raw })).toThrow(/HOOKD_RETAIN_FAILED/);
    });
  }
});

describe("a pass", () => {
  test("deletes only finished rows past their age, with their attempts, and runs once across two instances", async () => {
    const dbUrl = tempDbUrl();
    const settings = { dbUrl, retainSuccessMs: 1_000, retainFailedMs: 5_000, retentionEveryMs: 60_000 };
    const a = await makeTestApp({ ...settings, instanceId: "a" });
    const b = await makeTestApp({ ...settings, instanceId: "b" });
    const seeds: LogRowSeed[] = [
      ...STATUSES.map((s) => ({ id: `old-${s}`, status: s, created_at: ago(60_000), updated_at: ago(10_000) })),
      ...STATUSES.map((s) => ({ id: `mid-${s}`, status: s, created_at: ago(60_000), updated_at: ago(2_000) })),
      ...STATUSES.map((s) => ({ id: `new-${s}`, status: s, created_at: ago(60_000), updated_at: ago(0) })),
    ];
    await insertLogRows(a.deps.db, seeds);
    // Two attempts each for a delivery that goes and one that stays.
    for (const id of ["old-success", "new-success"]) {
      for (const n of [1, 2]) {
        await a.deps.db.execute({
          sql: "INSERT INTO _webhook_attempts (delivery_id, n, at, url) VALUES (?, ?, ?, 'http://127.0.0.1:9/hook')",
          args: [id, n, ago(10_000)],
        });
      }
    }

    const [ra, rb] = await Promise.all([runRetentionPass(a.deps), runRetentionPass(b.deps)]);
    const ran = [ra, rb].filter((r) => r !== null);
    expect(ran).toEqual([{ success: 2, cancelled: 2, failed: 1 }]);
    const left = (await a.deps.db.execute("SELECT id FROM _webhook_logs ORDER BY id")).rows.map((r) => String(r.id));
    expect(left).toEqual(
      [
        ...STATUSES.filter((s) => !["success", "cancelled", "failed"].includes(s)).flatMap((s) => [
          `old-${s}`,
          `mid-${s}`,
        ]),
        "mid-failed",
        ...STATUSES.map((s) => `new-${s}`),
      ].sort(),
    );
    const attempts = await a.deps.db.execute("SELECT delivery_id, n FROM _webhook_attempts ORDER BY delivery_id, n");
    expect(attempts.rows.map((r) => `${r.delivery_id}#${r.n}`)).toEqual(["new-success#1", "new-success#2"]);
    // Not due again for HOOKD_RETENTION_EVERY, on either instance.
    expect(await Promise.all([runRetentionPass(a.deps), runRetentionPass(b.deps)])).toEqual([null, null]);
    const job = (
      await a.deps.db.execute("SELECT owner, lease_expires_at, last_result FROM _jobs WHERE name = 'retention'")
    ).rows[0]!;
    expect(job.lease_expires_at).toBeNull();
    expect(JSON.parse(String(job.last_result))).toEqual({ success: 2, cancelled: 2, failed: 1 });
  });

  test("0 keeps forever; many rows go in batches", async () => {
    const t = await makeTestApp({ retainSuccessMs: 1_000, retainFailedMs: 0 });
    await insertLogRows(
      t.deps.db,
      Array.from({ length: 1_234 }, (_, i) => ({ id: `s${i}`, status: "success", created_at: ago(5_000) })),
    );
    await insertLogRows(
      t.deps.db,
      Array.from({ length: 20 }, (_, i) => ({ id: `f${i}`, status: "failed", created_at: ago(10 * 365 * 86_400_000) })),
    );
    expect(await runRetentionPass(t.deps)).toEqual({ success: 1_234, cancelled: 0, failed: 0 });
    expect(Number((await t.deps.db.execute("SELECT count(*) AS n FROM _webhook_logs")).rows[0]!.n)).toBe(20);
  });

  test("a lease left by a dead instance expires; a live lease keeps others out", async () => {
    const t = await makeTestApp({ retainSuccessMs: 1_000, leaseMs: 1_000 });
    await t.deps.db.execute({
      sql: "INSERT INTO _jobs (name, owner, lease_expires_at) VALUES ('retention', 'dead', ?)",
      args: [new Date(Date.now() + 60_000).toISOString()],
    });
    expect(await runRetentionPass(t.deps)).toBeNull();
    await t.deps.db.execute({ sql: "UPDATE _jobs SET lease_expires_at = ?", args: [ago(1)] });
    expect(await runRetentionPass(t.deps)).toEqual({ success: 0, cancelled: 0, failed: 0 });
  });
});

test("with 1s settings, two running instances clear finished deliveries and leave the queue alone", async () => {
  const dbUrl = tempDbUrl();
  const env = {
    HOOKD_DB_URL: dbUrl,
    HOOKD_ADMIN_TOKEN: "test-token",
    HOOKD_RETAIN_SUCCESS: "1s",
    HOOKD_RETAIN_FAILED: "1s",
    HOOKD_RETENTION_EVERY: "200ms",
  };
  const a = await makeTestApp(loadConfig({}, { ...env, HOOKD_INSTANCE_ID: "a" }));
  const b = await makeTestApp(loadConfig({}, { ...env, HOOKD_INSTANCE_ID: "b" }));
  await insertLogRows(
    a.deps.db,
    STATUSES.map((s) => ({ id: s, status: s })),
  );
  const loops = [startRetention(a.deps), startRetention(b.deps)];
  try {
    const deadline = Date.now() + 5_000;
    let left: string[] = [];
    while (Date.now() < deadline) {
      left = (await a.deps.db.execute("SELECT id FROM _webhook_logs ORDER BY id")).rows.map((r) => String(r.id));
      if (left.length === 3) break;
      await Bun.sleep(50);
    }
    expect(left).toEqual(["held", "pending", "processing"]);
  } finally {
    await Promise.all(loops.map((l) => l.stop()));
  }
});
