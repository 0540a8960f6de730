// Does the backlog live in the database? An in-process hookd (real file database, real
// dispatcher) gets 100,000 pending deliveries at once behind a deliberately slow receiver,
// and its JS heap (after a full GC) is compared with the heap before they were enqueued.
import { bootDeps } from "../src/boot";
import { parseCollectionInput } from "../src/collections/collection_input";
import { createCollection } from "../src/collections/collection_store";
import { loadConfig } from "../src/config";
import { silentLogger } from "../src/runtime/logger";
import { startDispatcher } from "../src/dispatch/dispatcher";
import { tempDbUrl } from "./processes";

/** HeapResult is the heap before and while a backlog waits, and how much of it was still pending. */
export interface HeapResult {
  backlog: number;
  heapBeforeMb: number;
  heapWithBacklogMb: number;
  stillPending: number;
}

const heapMb = () => {
  Bun.gc(true);
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

/** backlogHeapBench enqueues `count` deliveries in one statement and measures the heap while they wait. */
export async function backlogHeapBench(count: number): Promise<HeapResult> {
  const receiver = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: async () => (await Bun.sleep(50), new Response("ok")),
  });
  const config = loadConfig(
    {},
    { HOOKD_DB_URL: tempDbUrl(), HOOKD_ADMIN_TOKEN: "bench", HOOKD_ALLOW_NETS: "127.0.0.0/8" },
  );
  const deps = await bootDeps(config, silentLogger);
  const dispatcher = await startDispatcher(deps);
  try {
    const input = {
      name: "heap",
      fields: [{ name: "n", type: "number" }],
      triggers: [{ action: "create", url: `http://127.0.0.1:${receiver.port}/` }],
    };
    await createCollection(deps, parseCollectionInput(input, false));
    const heapBeforeMb = heapMb();
    await deps.db.execute(
      `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${count}) INSERT INTO heap (n) SELECT n FROM s`,
    );
    deps.signals.deliveriesQueued.emit();
    await Bun.sleep(2_000);
    const heapWithBacklogMb = heapMb();
    const pending = await deps.db.execute(
      "SELECT count(*) AS n FROM _webhook_logs WHERE status IN ('pending', 'processing')",
    );
    return { backlog: count, heapBeforeMb, heapWithBacklogMb, stillPending: Number(pending.rows[0]!.n) };
  } finally {
    await dispatcher.stop();
    deps.db.close();
    receiver.stop(true);
  }
}
