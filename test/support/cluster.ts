// Several hookd processes (the built binary) on one sqld, for the cluster tests: starting
// and stopping instances, writing through them round-robin, and watching who claimed what.
import type { Subprocess } from "bun";
import type { Client } from "@libsql/client";
import { BINARY } from "./binary";
import { startSqld, type Sqld } from "./sqld";
import { exitsWithin } from "./wait";

/** CLUSTER_TOKEN is the admin token every test instance is started with. */
export const CLUSTER_TOKEN = "cluster-token";

/**
 * SQLD_CLUSTER_ARGS are the sqld flags the README tells cluster users to run with: with its
 * default WAL, sqld 0.24 livelocks (every connection spinning in its WAL auto-checkpoint)
 * when a few dozen writes from several instances queue at once; libsql-wal does not.
 */
export const SQLD_CLUSTER_ARGS = ["--use-custom-wal", "libsql-wal"];

/** startClusterSqld starts a fresh sqld as the README says to run it for a cluster. */
export function startClusterSqld(): Promise<Sqld> {
  return startSqld(10_000, SQLD_CLUSTER_ARGS);
}

/** Instance is one running `hookd serve`: its id, base URL, process, and everything it printed. */
export interface Instance {
  id: string;
  url: string;
  proc: Subprocess<"ignore", "pipe", "pipe">;
  output: () => string;
  /** killed is set by killInstance, before the signal lands, so failed requests to it are expected. */
  killed: boolean;
}

// Both pipes are drained for the process's whole life: a full stderr pipe would freeze it.
function collect(stream: ReadableStream<Uint8Array>, into: { text: string }): void {
  void (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) into.text = (into.text + decoder.decode(chunk)).slice(-200_000);
  })();
}

/** startInstance runs `hookd serve --db dbUrl --port 0` as instance `id` and waits for its "listening" line. */
export async function startInstance(
  dbUrl: string,
  id: string,
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<Instance> {
  const proc = Bun.spawn([BINARY, "serve", "--db", dbUrl, "--port", "0"], {
    env: {
      ...process.env,
      HOOKD_ADMIN_TOKEN: CLUSTER_TOKEN,
      HOOKD_ALLOW_NETS: "127.0.0.0/8",
      HOOKD_RETRY_BASE_MS: "50",
      HOOKD_INSTANCE_ID: id,
      ...env,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const out = { text: "" };
  const err = { text: "" };
  collect(proc.stdout, out);
  collect(proc.stderr, err);
  const output = () => out.text + err.text;
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const m = /"msg":"listening".*?"url":"(http:\/\/[^"]+)"/.exec(out.text);
    if (m) return { id, url: m[1]!, proc, output, killed: false };
    if (proc.exitCode !== null)
      throw new Error(`instance ${id} exited with ${proc.exitCode} before listening:\n${output()}`);
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`instance ${id} did not listen within ${timeoutMs} ms:\n${output()}`);
    }
    await Bun.sleep(10);
  }
}

/** startInstances starts one instance per id, all at the same moment. */
export function startInstances(dbUrl: string, ids: string[], env: Record<string, string> = {}): Promise<Instance[]> {
  return Promise.all(ids.map((id) => startInstance(dbUrl, id, env)));
}

/** killInstance sends SIGKILL: no shutdown, no releasing of leases, as when a machine dies. */
export function killInstance(instance: Instance): void {
  instance.killed = true;
  instance.proc.kill("SIGKILL");
}

/** reportErrors prints each instance's error lines (a failing cluster test is read from these). */
export function reportErrors(instances: Instance[]): void {
  for (const i of instances) {
    const lines = i
      .output()
      .split("\n")
      .filter((l) => l.includes('"level":"error"'));
    if (lines.length > 0)
      console.log(`instance ${i.id}: ${lines.length} error lines, the first ones:\n${lines.slice(0, 5).join("\n")}`);
  }
}

/** stopInstances sends SIGTERM to the live ones and waits; one that hangs past 15 s is killed. */
export async function stopInstances(instances: Instance[]): Promise<void> {
  await Promise.all(
    instances.map(async (i) => {
      if (i.proc.exitCode !== null || i.proc.signalCode !== null) return;
      i.proc.kill("SIGTERM");
      if (!(await exitsWithin(i.proc, 15_000))) i.proc.kill("SIGKILL");
    }),
  );
}

/** api calls one instance's REST API with the admin token and answers status and parsed body. */
export async function api(
  instance: Instance,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${instance.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${CLUSTER_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** WriteResult lists the ids of records whose POST was answered, per instance id. */
export interface WriteResult {
  answered: string[];
  byInstance: Record<string, number>;
}

/**
 * writeRoundRobin POSTs `count` records `{n}` to `collection`, record n through instance
 * n mod N, with at most `inFlight` requests open at once. A refused or failed POST (an
 * instance killed meanwhile) is not retried; `onAnswered` sees the running count.
 */
export async function writeRoundRobin(
  instances: Instance[],
  collection: string,
  count: number,
  inFlight = 32,
  onAnswered?: (answered: number) => void,
): Promise<WriteResult> {
  const result: WriteResult = { answered: [], byInstance: {} };
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const target = instances[n % instances.length]!;
      try {
        const res = await api(target, "POST", `/api/collections/${collection}/records`, { n });
        if (res.status !== 200) throw new Error(`POST through ${target.id}: ${res.status} ${JSON.stringify(res.body)}`);
        result.answered.push(String(res.body.id));
        result.byInstance[target.id] = (result.byInstance[target.id] ?? 0) + 1;
        onAnswered?.(result.answered.length);
      } catch (err) {
        // Only a dead instance may fail a write; anything else is a real error.
        if (!target.killed && target.proc.exitCode === null)
          throw new Error(`POST through ${target.id} (${target.url}) failed: ${err}`);
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return result;
}

/**
 * recordClaims adds a test-only table and trigger to the shared database that write down
 * every claim (delivery id, owner, time). The recorder clears lease_owner when an attempt
 * is written, so this is how a test learns which instance sent what.
 */
export async function recordClaims(db: Client): Promise<void> {
  await db.batch(
    [
      "CREATE TABLE IF NOT EXISTS test_claims (delivery_id TEXT NOT NULL, owner TEXT NOT NULL, at TEXT NOT NULL)",
      `CREATE TRIGGER IF NOT EXISTS test_claims_on_lease AFTER UPDATE OF lease_owner ON _webhook_logs
         WHEN NEW.lease_owner IS NOT NULL
         BEGIN INSERT INTO test_claims VALUES (NEW.id, NEW.lease_owner, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')); END`,
    ],
    "write",
  );
}

/** countRows answers `SELECT count(*)` for a FROM/WHERE clause. */
export async function countRows(db: Client, fromWhere: string, args: (string | number)[] = []): Promise<number> {
  const rs = await db.execute({ sql: `SELECT count(*) AS n FROM ${fromWhere}`, args });
  return Number(rs.rows[0]!.n);
}

/** waitUntil polls `check` every `everyMs` until it holds, or throws naming `what` after timeoutMs. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await Bun.sleep(everyMs);
  }
}
