// The SQL job runner's worker threads (cron/sql_job_runner.ts): jobs that overlap get a thread
// each; when they finish, two stay for the next jobs and the rest close their connections and
// end by themselves, as do the idle ones on close. Counted as the threads of this process.
import { afterAll, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { createSqlJobRunner } from "../src/cron/sql_job_runner";
import { openDatabase } from "../src/db/client";
import { migrate } from "../src/db/migrate";
import { tempDbUrl } from "./support/temp_db";

const threads = () => readdirSync("/proc/self/task").length;
const url = tempDbUrl("hookd-runner-");
const db = await openDatabase(url);
await migrate(db);
afterAll(() => db.close());

async function settle(toAtMost: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  while (threads() > toAtMost && Date.now() < deadline) await Bun.sleep(20);
  return threads();
}

test("four overlapping jobs run on four threads; after them two stay idle and two end; close ends those two too", async () => {
  const before = threads();
  const runner = createSqlJobRunner(url, db);
  // Reads for a few hundred ms, so the four overlap; a read-only job changes no rows.
  const job = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) SELECT count(*) FROM c";
  const runs = Promise.all([1, 2, 3, 4].map(() => runner.run(job)));
  await Bun.sleep(150);
  const during = threads();
  expect(during).toBeGreaterThanOrEqual(before + 4);
  expect(await runs).toEqual([0, 0, 0, 0]);
  expect(await settle(during - 2)).toBeLessThanOrEqual(during - 2);
  expect(await runner.run(job)).toBe(0); // an idle thread takes the next job
  runner.close();
  // Bun may have started a helper thread of its own meanwhile, hence the allowance.
  expect(await settle(before + 1)).toBeLessThanOrEqual(before + 1);
});
