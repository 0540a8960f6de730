// `npm run bench`: every benchmark in one run, printed as a table. Figures in the README
// come from this command. Each part runs against real processes on 127.0.0.1.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { clusterBench } from "./cluster_bench";
import { backlogHeapBench } from "./backlog_heap";
import { backlogBench, burstBench, latencyBench } from "./delivery_bench";
import { orderingBench } from "./ordering_bench";
import { controlBench } from "./control_bench";
import { restBench } from "./rest_bench";
import { cronStallBench } from "./cron_stall";
import { startReceiver } from "./processes";

const quick = process.argv.includes("--quick");
const receiver = await startReceiver();
const rows: [string, string][] = [];
const row = (name: string, value: string) => {
  rows.push([name, value]);
  console.log(`${name.padEnd(58)} ${value}`);
};

try {
  for (const clients of [1, 16, 64]) {
    const r = await restBench(receiver, quick ? 1_000 : 5_000, clients);
    row(
      `REST create → receipt, ${clients} client(s): deliveries/s (raw loopback)`,
      `${r.deliveredPerSec.toFixed(0)} (${r.rawRequestsPerSec.toFixed(0)})`,
    );
    row(`REST create → receipt, ${clients} client(s): p50 / p99 (ms)`, `${r.p50Ms} / ${r.p99Ms}`);
  }

  const stall = await cronStallBench(receiver, quick ? 5 : 15);
  row(
    `2 s SQL job every second (${stall.jobRuns} runs in ${stall.seconds} s): /healthz p99 / max (ms)`,
    `${stall.healthzP99Ms} / ${stall.healthzMaxMs}`,
  );
  row(
    `  meanwhile, ${stall.deliveries} writes at 50/s: commit→receipt p50 / max (ms)`,
    `${stall.deliveryP50Ms} / ${stall.deliveryMaxMs}`,
  );

  const burstSize = quick ? 2_000 : 10_000;
  const burst = await burstBench(receiver, burstSize, 64);
  row(`raw loopback rate, ofetch, 64 in flight (req/s)`, burst.rawRequestsPerSec.toFixed(0));
  row(`burst of ${burstSize}: persisted deliveries/s from commit`, burst.fromCommitPerSec.toFixed(0));
  row(`burst of ${burstSize}: persisted deliveries/s from first receipt`, burst.fromFirstReceiptPerSec.toFixed(0));
  row(`burst: ratio to raw loopback rate (from commit)`, burst.ratioToRaw.toFixed(2));
  row(`burst: duplicates received`, String(burst.duplicates));

  const ordering = await orderingBench(receiver, burstSize);
  row(`burst of ${burstSize}, one trigger without orderingKey (deliveries/s)`, ordering.unorderedPerSec.toFixed(0));
  row(
    `burst of ${burstSize}, orderingKey over ${ordering.keys} keys (deliveries/s)`,
    ordering.orderedPerSec.toFixed(0),
  );

  const control = await controlBench(receiver, burstSize);
  row(`transform: one evaluation of a chat transform (µs)`, control.transformEvalUs.toFixed(1));
  row(
    `burst of ${burstSize} without / with a transform (deliveries/s)`,
    `${control.plainPerSec.toFixed(0)} / ${control.transformedPerSec.toFixed(0)}`,
  );
  row(`transform: cost per delivery in the burst (µs)`, control.transformCostUs.toFixed(0));
  row(
    `burst of ${burstSize} alone / beside a target at rateLimit ${control.rateLimit} (deliveries/s)`,
    `${control.aloneUnthrottledPerSec.toFixed(0)} / ${control.besideUnthrottledPerSec.toFixed(0)}`,
  );
  row(`the throttled target meanwhile (deliveries/s)`, control.throttledPerSec.toFixed(1));

  const lat = await latencyBench(receiver, 500, quick ? 3 : 10);
  row(`latency at ${lat.writesPerSec} writes/s, commit→receipt p50 (ms)`, String(lat.p50Ms));
  row(`latency at ${lat.writesPerSec} writes/s, commit→receipt p99 (ms)`, String(lat.p99Ms));
  row(`latency: peak RSS of hookd (MiB)`, lat.peakRssMb.toFixed(0));

  const heap = await backlogHeapBench(quick ? 10_000 : 100_000);
  row(
    `backlog of ${heap.backlog} (${heap.stillPending} still waiting): JS heap before → with it (MiB)`,
    `${heap.heapBeforeMb.toFixed(1)} → ${heap.heapWithBacklogMb.toFixed(1)}`,
  );

  // The same drain at two backlog sizes: if the backlog lived in memory, the peak would grow with it.
  for (const size of quick ? [1_000, 10_000] : [10_000, 100_000]) {
    const backlog = await backlogBench(receiver, size);
    row(
      `backlog of ${size}: RSS before → peak while draining (MiB)`,
      `${backlog.rssBeforeMb.toFixed(0)} → ${backlog.peakRssMb.toFixed(0)}`,
    );
    row(`backlog of ${size}: drained deliveries/s`, backlog.drainPerSec.toFixed(0));
  }

  for (const r of await clusterBench(receiver, quick ? 3_000 : 10_000)) {
    row(
      `${r.deliveries} at once, ${r.label}, ${r.instances} instance(s) (deliveries/s)`,
      `${r.perSec.toFixed(0)}${r.duplicates ? ` (${r.duplicates} duplicates)` : ""}`,
    );
  }

  const cronBench = join(import.meta.dir, "cron_lateness.ts");
  if (existsSync(cronBench)) {
    const proc = Bun.spawn([process.execPath, cronBench, ...(quick ? ["--seconds", "5"] : [])], {
      stdout: "inherit",
      stderr: "inherit",
    });
    await proc.exited;
  }
} finally {
  receiver.proc.kill();
}
