// A SQL job computing for about 2 s every second, while /healthz is polled every 20 ms and
// records are written at 50/s: how long /healthz and deliveries wait meanwhile (the promise kept here:
// the event loop never waits on the database for long). hookd runs as its own process on a file.
import { api, startHookd, tempDbUrl, waitForReceiver, type Running } from "./processes";
import { percentile } from "./stats";

const LONG_JOB =
  "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 8000000) SELECT count(*) FROM c";

/** CronStallResult is /healthz and commit→receipt latency while a long SQL job keeps running. */
export interface CronStallResult {
  seconds: number;
  jobRuns: number;
  healthzP99Ms: number;
  healthzMaxMs: number;
  deliveries: number;
  deliveryP50Ms: number;
  deliveryMaxMs: number;
}

/** cronStallBench runs the long job every second for `seconds` and measures what waits on it. */
export async function cronStallBench(receiver: Running, seconds: number): Promise<CronStallResult> {
  await fetch(`${receiver.url}/reset`);
  const hookd = await startHookd(tempDbUrl());
  try {
    await api(hookd.url, "POST", "/api/collections", {
      name: "stall",
      fields: [{ name: "n", type: "number" }],
      triggers: [{ action: "create", url: `${receiver.url}/latency` }],
    });
    await api(hookd.url, "POST", "/api/cron", { name: "long", schedule: "* * * * * *", type: "sql", sql: LONG_JOB });
    const healthz: number[] = [];
    const until = Date.now() + seconds * 1000;
    const poll = (async () => {
      while (Date.now() < until) {
        const t0 = performance.now();
        await fetch(`${hookd.url}/healthz`).then((r) => r.arrayBuffer());
        healthz.push(performance.now() - t0);
        await Bun.sleep(20);
      }
    })();
    let writes = 0;
    while (Date.now() < until) {
      await api(hookd.url, "POST", "/api/collections/stall/records", { n: writes++ });
      await Bun.sleep(20);
    }
    await poll;
    const s = await waitForReceiver(receiver, (r) => r.latencies.length >= writes, 10_000, 50);
    const runs = (await api(hookd.url, "GET", "/api/cron/long/runs?perPage=500")).items.filter(
      (r: any) => r.status === "success",
    ).length;
    return {
      seconds,
      jobRuns: runs,
      healthzP99Ms: Math.round(percentile(healthz, 99)),
      healthzMaxMs: Math.round(Math.max(...healthz)),
      deliveries: s.latencies.length,
      deliveryP50Ms: percentile(s.latencies, 50),
      deliveryMaxMs: Math.max(...s.latencies),
    };
  } finally {
    hookd.proc.kill("SIGTERM");
    await hookd.proc.exited;
  }
}
