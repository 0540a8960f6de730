// The path a user takes: records created over REST by C concurrent clients, each reaching
// the receiver as a webhook — beside the raw loopback rate of the same client at the same C.
// (The burst and backlog rows insert rows with SQL and never time the API.)
import { api, startHookd, tempDbUrl, TOKEN, waitForReceiver, type Running } from "./processes";
import { rawLoopbackRate } from "./raw_rate";
import { percentile } from "./stats";

/** RestResult is deliveries/s and latency for records created over REST. */
export interface RestResult {
  clients: number;
  records: number;
  rawRequestsPerSec: number;
  deliveredPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

/** restBench creates `count` records with `clients` concurrent REST clients and times until the receiver has every delivery. */
export async function restBench(receiver: Running, count: number, clients: number): Promise<RestResult> {
  await fetch(`${receiver.url}/reset`);
  const raw = await rawLoopbackRate(`${receiver.url}/raw`, count, clients);
  await fetch(`${receiver.url}/reset`);
  const hookd = await startHookd(tempDbUrl());
  try {
    await api(hookd.url, "POST", "/api/collections", {
      name: "rest",
      fields: [{ name: "n", type: "number" }],
      triggers: [{ action: "create", url: `${receiver.url}/latency` }],
    });
    const url = `${hookd.url}/api/collections/rest/records`;
    const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
    let next = 0;
    const started = Date.now();
    const client = async () => {
      while (next < count) {
        const res = await fetch(url, { method: "POST", headers, body: JSON.stringify({ n: next++ }) });
        if (!res.ok) throw new Error(`create answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: clients }, client));
    const s = await waitForReceiver(receiver, (r) => r.unique >= count, 60_000, 20);
    if (s.unique < count) throw new Error(`only ${s.unique} of ${count} deliveries arrived`);
    return {
      clients,
      records: count,
      rawRequestsPerSec: raw,
      deliveredPerSec: count / ((s.lastAt - started) / 1000),
      p50Ms: percentile(s.latencies, 50),
      p99Ms: percentile(s.latencies, 99),
    };
  } finally {
    hookd.proc.kill("SIGTERM");
    await hookd.proc.exited;
  }
}
