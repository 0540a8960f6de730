// Cron lateness: a job every second for N seconds (30 by default, --seconds N), on an embedded
// database file; how late each run started against its scheduled second (median and max, ms).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootDeps } from "../src/boot";
import { loadConfig } from "../src/config";
import { parseCronJobInput } from "../src/cron/cron_input";
import { startCronScheduler } from "../src/cron/cron_scheduler";
import { createCronJob } from "../src/cron/cron_store";
import { silentLogger } from "../src/runtime/logger";
import { median } from "./stats";

const flag = process.argv.indexOf("--seconds");
const seconds = flag >= 0 ? Number(process.argv[flag + 1]) : 30;
const dir = mkdtempSync(join(tmpdir(), "hookd-cron-bench-"));

try {
  const config = loadConfig({}, { HOOKD_DB_URL: `file:${join(dir, "bench.db")}`, HOOKD_ADMIN_TOKEN: "bench" });
  const deps = await bootDeps(config, silentLogger);
  const scheduler = await startCronScheduler(deps);
  await createCronJob(
    deps,
    parseCronJobInput({ name: "lateness", schedule: "* * * * * *", type: "sql", sql: "SELECT 1" }),
  );
  await Bun.sleep(seconds * 1000 + 500);
  await scheduler.stop();

  const rs = await deps.db.execute(
    "SELECT scheduled_at, started_at, status FROM _cron_runs WHERE job = 'lateness' ORDER BY scheduled_at",
  );
  const late = rs.rows
    .filter((r) => r.status !== "skipped")
    .map((r) => Date.parse(String(r.started_at)) - Date.parse(String(r.scheduled_at)));
  const skipped = rs.rows.length - late.length;
  deps.db.close();

  const row = (name: string, value: string) => console.log(`${name.padEnd(58)} ${value}`);
  row(`cron: runs of a 1 s job over ${seconds} s (skipped)`, `${late.length} (${skipped})`);
  row(`cron: lateness against the scheduled second, median (ms)`, String(median(late)));
  row(`cron: lateness against the scheduled second, max (ms)`, String(Math.max(...late)));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
