// `bun bench/log_filters.ts [--rows N]`: page times of the delivery log's filters (docs/operating.md)
// on a file database holding a million deliveries, plus what the filter indexes cost on
// insert. Each figure is the median of 5 runs of listLogs (count + one page of 30), the
// same call the REST and GraphQL listings make.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, type Db } from "../src/db/client";
import { migrate } from "../src/db/migrate";
import { MIGRATIONS } from "../src/db/migrations";
import { parseLogFilter } from "../src/deliveries/log_filter";
import { listLogs } from "../src/deliveries/log_store";
import { AnswerBudget } from "../src/lib/answer_budget";
import { systemClock } from "../src/runtime/clock";
import { createSignals } from "../src/runtime/signals";
import { median } from "./stats";

const rowsArg = process.argv.indexOf("--rows");
const TOTAL = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 1_000_000;
const DAYS = 30;

// Pseudo-random rows (multiplicative hashes of the row number, so runs are alike), spread evenly over 30 days in insert order: 90 % trigger deliveries over 10
// collections (3 triggers each) and 100,000 records, 5 % standalone webhooks (5 names), 5 % cron (5 jobs);
// 85 % success (2 % of them 204, the rest 200), 8 % failed (404 or 500), 3 % pending,
// 2 % held, 1 % cancelled, 1 % processing.
const GENERATE = `
WITH RECURSIVE n(i) AS (SELECT CAST(:from AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :to)
INSERT INTO _webhook_logs (id, source, collection, trigger_id, action, record_id, webhook, cron_job, url, payload, status, http_status, tries, next_attempt_at, created_at, updated_at)
SELECT printf('%032x', i), src, CASE WHEN src = 'trigger' THEN 'col' || (r % 10) END, CASE WHEN src = 'trigger' THEN 't' || (r % 30) END, CASE WHEN src = 'trigger' THEN 'create' END,
       CASE WHEN src = 'trigger' THEN 'rec' || (r % 100000) END, CASE WHEN src = 'webhook' THEN 'hook' || (r % 5) END,
       CASE WHEN src = 'cron' THEN 'job' || (r % 5) END, 'https://example.com/hook', '{"n":' || i || '}', st,
       CASE st WHEN 'success' THEN (CASE WHEN r % 50 = 0 THEN 204 ELSE 200 END) WHEN 'failed' THEN (CASE WHEN r % 3 = 0 THEN 404 ELSE 500 END) END,
       1, at, at, at
FROM (SELECT i, r, CASE WHEN s < 5 THEN 'webhook' WHEN s < 10 THEN 'cron' ELSE 'trigger' END AS src,
             CASE WHEN u < 85 THEN 'success' WHEN u < 93 THEN 'failed' WHEN u < 96 THEN 'pending'
                  WHEN u < 98 THEN 'held' WHEN u < 99 THEN 'cancelled' ELSE 'processing' END AS st,
             strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || (i * ${DAYS} * 86400.0 / :total) || ' seconds') AS at
      FROM (SELECT i, (i * 2654435761) % 4294967291 % 1000003 AS r, (i * 69069) % 65537 % 100 AS s, (i * 40503) % 65521 % 100 AS u FROM n))`;

async function fill(db: Db, total: number): Promise<number> {
  const started = performance.now();
  for (let from = 0; from < total; from += 100_000) {
    await db.execute({ sql: GENERATE, args: { from, to: Math.min(total, from + 100_000), total } });
  }
  return performance.now() - started;
}

/** lifecycle runs each row's three writes (insert pending, claim, record success) 64 rows per statement, timing them. */
async function lifecycle(db: Db, total: number): Promise<number> {
  const started = performance.now();
  for (let from = 0; from < total; from += 64) {
    const to = Math.min(total, from + 64);
    const rows = JSON.stringify(Array.from({ length: to - from }, (_, i) => from + i));
    await db.execute({
      sql: `INSERT INTO _webhook_logs (id, source, collection, action, record_id, trigger_id, url, payload, status, tries, next_attempt_at, created_at, updated_at)
            SELECT 'l' || printf('%032x', value), 'trigger', 'col' || (value % 10), 'create', 'rec' || value, 't' || (value % 10), 'https://example.com/hook', '{}', 'pending', 0, d.now, d.now, d.now
            FROM json_each(?), (SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS now) AS d`,
      args: [rows],
    });
    const ids = `SELECT id FROM _webhook_logs WHERE id >= 'l' || printf('%032x', ${from}) AND id < 'l' || printf('%032x', ${to})`;
    await db.execute(
      `UPDATE _webhook_logs SET status = 'processing', lease_owner = 'a', lease_expires_at = '2027-01-01T00:00:00.000Z', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id IN (${ids})`,
    );
    await db.execute(
      `UPDATE _webhook_logs SET status = 'success', http_status = 200, tries = 1, duration_ms = 3, lease_owner = NULL, lease_expires_at = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id IN (${ids})`,
    );
  }
  return performance.now() - started;
}

/** freshDb migrates a new file database, with or without migration 007 (the filter indexes). */
async function freshDb(dir: string, name: string, withFilterIndexes = true): Promise<Db> {
  const db = await openDatabase(`file:${join(dir, name)}`);
  await migrate(
    db,
    MIGRATIONS.filter((m) => withFilterIndexes || m.version !== 7),
  );
  return db;
}

const CASES: [string, Record<string, string>, number?][] = [
  ["no filter", {}],
  ["source=cron", { source: "cron" }],
  ["collection=col3", { collection: "col3" }],
  ["trigger=t7", { trigger: "t7" }],
  ["webhook=hook2", { webhook: "hook2" }],
  ["cronJob=job1", { cronJob: "job1" }],
  ["recordId=rec4242", { recordId: "rec4242" }],
  ["status=failed", { status: "failed" }],
  ["status=held", { status: "held" }],
  ["httpStatus=404", { httpStatus: "404" }],
  ["since (last day)", { since: "2026-01-30" }],
  ["until (first day)", { until: "2026-01-02" }],
  ["collection + status=failed", { collection: "col3", status: "failed" }],
  ["trigger + status=failed", { trigger: "t7", status: "failed" }],
  ["webhook + status=failed", { webhook: "hook2", status: "failed" }],
  ["cronJob + status=pending", { cronJob: "job1", status: "pending" }],
  ["source=webhook + status=failed", { source: "webhook", status: "failed" }],
  [
    "collection + status + since + until (one week)",
    { collection: "col3", status: "failed", since: "2026-01-10", until: "2026-01-17" },
  ],
  ["collection + httpStatus=204 (rare within the collection)", { collection: "col0", httpStatus: "204" }],
  ["status=success + httpStatus=204", { status: "success", httpStatus: "204" }],
  ["source=cron + status=cancelled", { source: "cron", status: "cancelled" }],
  [
    "every filter at once",
    {
      source: "trigger",
      collection: "col2",
      recordId: "rec12",
      status: "success",
      httpStatus: "200",
      since: "2026-01-01",
      until: "2026-01-31",
    },
  ],
  ["no filter, page 1,000 (offset 29,970)", {}, 1000],
  ["status=failed, page 100", { status: "failed" }, 100],
];

const dir = mkdtempSync(join(tmpdir(), "hookd-bench-logs-"));
try {
  // Write cost of the indexes, with and without migration 007, alternating, median of 3:
  // bare inserts, and each delivery's three writes (created pending, claimed, finished).
  const sample = Math.min(TOTAL, 100_000);
  const life = Math.min(TOTAL, 20_000);
  const costs = { insert: [[], []] as number[][], life: [[], []] as number[][] };
  for (let round = 0; round < 3; round++) {
    for (const [i, withIndexes] of [
      [0, false],
      [1, true],
    ] as const) {
      costs.insert[i]!.push(await fill(await freshDb(dir, `insert-${round}-${i}.db`, withIndexes), sample));
      costs.life[i]!.push(await lifecycle(await freshDb(dir, `life-${round}-${i}.db`, withIndexes), life));
    }
  }
  const line = (what: string, [before, after]: number[][]) => {
    const [b, a] = [median(before!), median(after!)];
    console.log(
      `${what}: without 007 ${b.toFixed(0)} ms, with 007 ${a.toFixed(0)} ms (${((a / b - 1) * 100).toFixed(0)} % more)`,
    );
  };
  line(`insert ${sample} rows`, costs.insert);
  line(`${life} deliveries inserted, claimed and finished, 64 per statement`, costs.life);

  const db = await freshDb(dir, "million.db");
  const filled = await fill(db, TOTAL);
  console.log(`filled ${TOTAL} rows in ${(filled / 1000).toFixed(1)} s`);
  const deps = { db, clock: systemClock, signals: createSignals() };
  console.log(`${"filter".padEnd(58)} ${"matches".padStart(9)}  first page (ms, median of 5)`);
  for (const [name, input, page = 1] of CASES) {
    const filter = parseLogFilter(input, { now: new Date() });
    const times: number[] = [];
    let matches = 0;
    for (let run = 0; run < 5; run++) {
      const t0 = performance.now();
      const res = await listLogs(deps, filter, { page, perPage: 30 }, new AnswerBudget(Number.MAX_SAFE_INTEGER));
      times.push(performance.now() - t0);
      matches = res.totalItems;
    }
    console.log(`${name.padEnd(58)} ${String(matches).padStart(9)}  ${median(times).toFixed(1)}`);
  }
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
