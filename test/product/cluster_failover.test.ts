// Failover: three instances share a burst of writes; one is killed with SIGKILL a third of
// the way in. Every committed record is delivered at least once, the survivors take over the
// dead instance's claims once their lease runs out, and only deliveries the dead instance
// still held when it died are received twice (about its HOOKD_CONCURRENCY of them at most).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createClient, type Client } from "@libsql/client";
import { buildBinaryOnce } from "../support/binary";
import {
  api,
  countRows,
  killInstance,
  recordClaims,
  reportErrors,
  startClusterSqld,
  startInstances,
  stopInstances,
  waitUntil,
  writeRoundRobin,
  type Instance,
} from "../support/cluster";
import { startReceiver, type Receiver } from "../support/receiver";
import { sqldAvailable, type Sqld } from "../support/sqld";

const RECORDS = 3_000;
const CONCURRENCY = 16;
// A claim's lease is max(HOOKD_LEASE_MS, the trigger's timeoutMs + 5 s): 7 s here.
const LEASE_MS = 2_000;
const TIMEOUT_MS = 2_000;
const EFFECTIVE_LEASE_MS = Math.max(LEASE_MS, TIMEOUT_MS + 5_000);

let sqld: Sqld;
let db: Client;
let receiver: Receiver;
let instances: Instance[] = [];

beforeAll(async () => {
  receiver = startReceiver();
  // 20 ms per answer, so the killed instance surely has attempts in flight (at 5 ms, a fast
  // instance had sometimes finished all it held when the kill landed).
  receiver.respond = () => ({ status: 200, delayMs: 20 });
  await buildBinaryOnce();
  if (!sqldAvailable) return;
  sqld = await startClusterSqld();
  db = createClient({ url: sqld.url });
  instances = await startInstances(sqld.url, ["a", "b", "c"], {
    HOOKD_LEASE_MS: String(LEASE_MS),
    HOOKD_CONCURRENCY: String(CONCURRENCY),
  });
}, 120_000);
afterAll(async () => {
  reportErrors(instances);
  await stopInstances(instances);
  db?.close();
  await sqld?.stop();
  await receiver.stop();
}, 60_000);

interface Claim {
  owner: string;
  at: number;
}

test.skipIf(!sqldAvailable)(
  "kill -9 one of three mid-burst: every committed record delivered, the survivors take over after the lease, duplicates only from the dead one",
  async () => {
    await recordClaims(db);
    const created = await api(instances[0]!, "POST", "/api/collections", {
      name: "burst",
      fields: [{ name: "n", type: "number" }],
      triggers: [{ action: "create", url: `${receiver.url}/burst`, timeoutMs: TIMEOUT_MS }],
    });
    expect(created.status).toBe(200);

    // A third of the way in, the instance holding the most leases is killed, once one holds a few:
    // the test is about what happens to work a dead instance held. (Which instance does most of
    // the work varies from run to run; a fixed victim sometimes held nothing when the kill landed,
    // and then nothing was left to take over.)
    let killing: Promise<Instance> | null = null;
    let killedAt = 0;
    const killBusiest = async (): Promise<Instance> => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const top = (
          await db.execute(
            "SELECT lease_owner, count(*) AS n FROM _webhook_logs WHERE status = 'processing' GROUP BY lease_owner ORDER BY n DESC LIMIT 1",
          )
        ).rows[0];
        const busiest = instances.find((i) => i.id === String(top?.lease_owner));
        if ((busiest && Number(top!.n) >= 4) || Date.now() > deadline) {
          const victim = busiest ?? instances[2]!;
          killedAt = Date.now();
          killInstance(victim);
          return victim;
        }
        await Bun.sleep(1);
      }
    };
    const written = await writeRoundRobin(instances, "burst", RECORDS, 32, (answered) => {
      if (answered >= RECORDS / 3) killing ??= killBusiest();
    });
    const victim = await killing!;
    await victim.proc.exited;
    await waitUntil(
      "every delivery to finish",
      async () => (await countRows(db, "_webhook_logs WHERE status IN ('pending', 'processing')")) === 0,
      60_000,
      100,
    );
    const finishedAt = Date.now();

    // Every committed record (whoever answered its POST, if anyone did) reached the receiver.
    const committed = (await db.execute("SELECT id FROM burst")).rows.map((r) => String(r.id));
    const received = receiver.requests.filter((r) => r.path === "/burst");
    const deliveredRecords = new Set(received.map((r) => r.json.record.id));
    expect(committed.length).toBeGreaterThanOrEqual(written.answered.length);
    expect(committed.filter((id) => !deliveredRecords.has(id))).toEqual([]);
    expect(await countRows(db, "_webhook_logs WHERE collection = 'burst' AND status != 'success'")).toBe(0);

    const claims = new Map<string, Claim[]>();
    for (const r of (await db.execute("SELECT delivery_id, owner, at FROM test_claims ORDER BY rowid")).rows) {
      const list = claims.get(String(r.delivery_id)) ?? [];
      list.push({ owner: String(r.owner), at: Date.parse(String(r.at)) });
      claims.set(String(r.delivery_id), list);
    }
    // Taken over: rows the victim held when it died, claimed again by a survivor no sooner than the lease allowed.
    const takenOver = [...claims.values()].filter((list) => list.length > 1);
    expect(takenOver.length).toBeGreaterThan(0);
    for (const list of takenOver) {
      expect(list.map((c) => c.owner)).toEqual([victim.id, expect.not.stringMatching(victim.id)]);
      // The lease runs from the claimer's clock before its request; test_claims.at is the server's, a little later.
      expect(list[1]!.at - list[0]!.at).toBeGreaterThanOrEqual(EFFECTIVE_LEASE_MS - 250);
    }

    // Received twice: only deliveries the victim still held when it died, each at most twice: its
    // attempts in flight (at most CONCURRENCY) and finished ones whose batched record was still on
    // its way to the server. How many of those there are depends on how long the server takes to
    // write a record while attempts keep finishing (one run on a loaded machine saw 43, with
    // CONCURRENCY 16), so the count is bounded by the rows taken over, each checked below.
    const perWebhookId = new Map<string, number>();
    for (const r of received)
      perWebhookId.set(r.headers["webhook-id"]!, (perWebhookId.get(r.headers["webhook-id"]!) ?? 0) + 1);
    const duplicated = [...perWebhookId].filter(([, n]) => n > 1).map(([id]) => id);
    for (const id of duplicated)
      expect(claims.get(id)?.map((c) => c.owner)).toEqual([victim.id, expect.not.stringMatching(victim.id)]);
    expect(Math.max(...perWebhookId.values())).toBeLessThanOrEqual(2);
    expect(duplicated.length).toBeLessThanOrEqual(takenOver.length);
    // Taken over may also be rows claimed ahead and never sent: up to one more of each slot
    // (ready_queue.ts). With the attempts in flight and those sent but not yet recorded, the
    // busiest instance holds at most about three of each slot.
    expect(takenOver.length).toBeLessThanOrEqual(3 * CONCURRENCY + 8);

    console.log(
      `failover: ${written.answered.length} of ${RECORDS} posts answered (victim killed after ${RECORDS / 3}), ${committed.length} committed, ` +
        `${takenOver.length} claims of the victim taken over after ${EFFECTIVE_LEASE_MS} ms, ${duplicated.length} duplicates (victim's HOOKD_CONCURRENCY ${CONCURRENCY}), ` +
        `all finished ${finishedAt - killedAt} ms after the kill`,
    );
  },
  90_000,
);
