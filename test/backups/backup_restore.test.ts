// Backup under write load, restore, start on the restored file (docs/operating.md), with real processes
// (src/main.ts, as `npm start` runs it): every record acknowledged before the backup began is
// in the restored database, and the deliveries that were still pending are sent once it runs.
// `hookd restore` refuses while a server uses the database and, without --force, to overwrite.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startReceiver } from "../support/receiver";
import { waitUntil } from "../support/wait";

const ROOT = join(import.meta.dir, "../..");
const dir = mkdtempSync(join(tmpdir(), "hookd-restore-"));
const rx = startReceiver();
// Servers still running when a test failed halfway are stopped here, not left behind.
const running = new Set<{ kill(signal?: number | NodeJS.Signals): void }>();
afterAll(async () => {
  for (const proc of running) proc.kill("SIGKILL");
  await rx.stop();
  rmSync(dir, { recursive: true, force: true });
});

const env = (more: Record<string, string>) => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("HOOKD_"))),
  HOOKD_ADMIN_TOKEN: "secret",
  HOOKD_ALLOW_NETS: "127.0.0.0/8",
  HOOKD_BACKUP_DIR: join(dir, "backups"),
  ...more,
});

async function serve(db: string, more: Record<string, string> = {}) {
  const proc = Bun.spawn([process.execPath, "src/main.ts", "serve", "--db", db, "--port", "0"], {
    cwd: ROOT,
    env: env(more),
    stdout: "pipe",
    stderr: "pipe",
  });
  running.add(proc);
  void proc.exited.then(() => running.delete(proc));
  const reader = proc.stdout.getReader();
  let out = "";
  while (!/"msg":"listening"[^\n]*\n/.test(out)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`hookd exited: ${out}${await new Response(proc.stderr).text()}`);
    out += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  void proc.stdout.pipeTo(new WritableStream());
  const url = /"url":"([^"]+)"/.exec(out)![1]!;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: "Bearer secret", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  };
  const stop = async () => {
    proc.kill("SIGTERM");
    return proc.exited;
  };
  return { call, stop };
}

async function cli(args: string[]) {
  const proc = Bun.spawn([process.execPath, "src/main.ts", ...args], {
    cwd: ROOT,
    env: env({}),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { stdout, stderr, code };
}

test("back up under write load, restore, start: acknowledged records are there, pending deliveries are sent", async () => {
  const live = `file:${join(dir, "live", "hookd.db")}`;
  // One delivery at a time to a slow receiver: the backlog grows while records keep coming.
  rx.respond = () => ({ status: 200, delayMs: 50 });
  const a = await serve(live, { HOOKD_CONCURRENCY: "1", HOOKD_INSTANCE_ID: "first" });
  expect(
    (
      await a.call("POST", "/api/collections", {
        name: "orders",
        fields: [{ name: "n", type: "number" }],
        triggers: [{ id: "t", action: "create", url: `${rx.url}/hook` }],
      })
    ).status,
  ).toBe(200);

  const acked: string[] = [];
  let writing = true;
  let n = 0;
  const writers = Array.from({ length: 4 }, async () => {
    while (writing) {
      const res = await a.call("POST", "/api/collections/orders/records", { n: n++ });
      expect(res.status).toBe(200);
      acked.push(res.body.id);
    }
  });
  await waitUntil("100 acknowledged writes", () => acked.length >= 100);
  // Everything acknowledged so far was acknowledged before the backup began.
  const before = acked.slice();
  const backup = await a.call("POST", "/api/backups");
  expect(backup.status).toBe(200);
  const during = acked.length;
  await waitUntil("50 more acknowledged writes", () => acked.length >= during + 50);
  writing = false;
  await Promise.all(writers);
  expect(before.length).toBeGreaterThanOrEqual(100);
  const file = join(dir, "backups", backup.body.name);

  // Refused while the server uses the database, even with --force.
  const busy = await cli(["restore", file, "--db", live, "--force"]);
  expect(busy.code).toBe(2);
  expect(busy.stderr).toContain("instance first");
  expect(await a.stop()).toBe(0);
  // Stopped, but a database is there: --force is needed.
  const exists = await cli(["restore", file, "--db", live]);
  expect(exists.code).toBe(2);
  expect(exists.stderr).toContain("--force");
  const forced = await cli(["restore", file, "--db", live, "--force"]);
  expect([forced.code, forced.stderr]).toEqual([0, ""]);
  expect(forced.stdout).toContain("restored");

  // The restored database starts and serves; its pending deliveries go out at once.
  rx.respond = () => ({ status: 200 });
  rx.requests.length = 0;
  const b = await serve(live, { HOOKD_INSTANCE_ID: "second" });
  try {
    // Every page: writes went on during the backup, so the snapshot may hold many more than 500.
    const ids = new Set<string>();
    for (let page = 1; ; page++) {
      const res = await b.call("GET", `/api/collections/orders/records?perPage=500&page=${page}`);
      for (const r of res.body.items) ids.add(r.id);
      if (page >= res.body.totalPages) break;
    }
    for (const id of before) expect(ids.has(id)).toBe(true);
    // Every record the snapshot holds has its delivery, and each pending one is now sent.
    let logs: any[] = [];
    await waitUntil(
      "every delivery of the restored records to succeed",
      async () => {
        logs = [];
        for (let page = 1; ; page++) {
          const res = await b.call("GET", `/api/webhooks/logs?perPage=500&collection=orders&page=${page}`);
          logs.push(...res.body.items);
          if (page >= res.body.totalPages) break;
        }
        return logs.length === ids.size && logs.every((l) => l.status === "success");
      },
      30_000,
      50,
    ).catch(() => {});
    expect(logs.length).toBe(ids.size);
    expect(logs.filter((l) => l.status !== "success")).toEqual([]);
    const sentNow = new Set(rx.requests.map((r) => r.json?.record?.id));
    expect(sentNow.size).toBeGreaterThan(0);
  } finally {
    expect(await b.stop()).toBe(0);
  }
}, 120_000);

test("hookd backup FILE writes a copy; it will not overwrite without --force, nor copy a server database", async () => {
  const live = `file:${join(dir, "cli", "hookd.db")}`;
  const a = await serve(live);
  await a.call("POST", "/api/collections", { name: "notes", fields: [{ name: "t", type: "text" }] });
  const out = join(dir, "cli-copy.db");
  // While the server runs: a consistent copy all the same.
  const first = await cli(["backup", "--db", live, out]);
  expect([first.code, first.stderr]).toEqual([0, ""]);
  expect(await a.stop()).toBe(0);
  const again = await cli(["backup", "--db", live, out]);
  expect(again.code).toBe(2);
  expect(again.stderr).toContain("--force");
  expect((await cli(["backup", "--db", live, out, "--force"])).code).toBe(0);
  const server = await cli(["backup", "--db", "http://127.0.0.1:8080", join(dir, "x.db")]);
  expect(server.code).toBe(2);
  expect(server.stderr).toContain("sqld");
  // The copy restores to a new place and starts.
  const restored = `file:${join(dir, "from-cli", "hookd.db")}`;
  expect((await cli(["restore", out, "--db", restored])).code).toBe(0);
  const b = await serve(restored);
  expect((await b.call("GET", "/api/collections/notes")).status).toBe(200);
  expect(await b.stop()).toBe(0);
}, 60_000);
