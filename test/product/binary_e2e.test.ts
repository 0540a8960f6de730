// Builds the single binary and drives it as a user would: over a real socket, with a
// temporary file database, VSKI-style REST, GraphQL, the generated admin token, SIGTERM.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error: the parser ships no type declarations.
import parsePrometheus from "parse-prometheus-text-format";
import { VERSION } from "../../src/version";
import { startReceiver, type Receiver } from "../support/receiver";
import { settlesWithin } from "../support/wait";

const ROOT = join(import.meta.dir, "../..");
const BINARY = join(ROOT, "dist", "hookd");
const TOKEN = "e2e-admin-token";

/** Running is a started `hookd serve`: its base URL and every stdout line so far. */
interface Running {
  url: string;
  stdout: string[];
  proc: ReturnType<typeof Bun.spawn>;
  stop(): Promise<number>;
}

const started: Running[] = [];

function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => !k.startsWith("HOOKD_") && v !== undefined),
  ) as Record<string, string>;
  return { ...env, ...extra };
}

/** startHookd runs `dist/hookd serve --port 0 …` and waits for its "listening" line. */
async function startHookd(args: string[], env: Record<string, string>): Promise<Running> {
  const proc = Bun.spawn([BINARY, "serve", "--port", "0", ...args], {
    cwd: ROOT,
    env: cleanEnv(env),
    stdout: "pipe",
    stderr: "pipe",
  });
  const stdout: string[] = [];
  let listening: ((url: string) => void) | undefined;
  const url = new Promise<string>((resolve) => (listening = resolve));
  void (async () => {
    let buffered = "";
    for await (const chunk of proc.stdout as ReadableStream<Uint8Array>) {
      buffered += new TextDecoder().decode(chunk);
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        stdout.push(line);
        if (line.includes('"msg":"listening"')) listening!(JSON.parse(line).url);
      }
    }
  })();
  const stderr = new Response(proc.stderr as ReadableStream).text();
  const base = await settlesWithin(
    Promise.race([
      url,
      proc.exited.then(async (code) => Promise.reject(new Error(`hookd exited ${code}: ${await stderr}`))),
    ]),
    30_000,
    null,
  );
  if (base === null) {
    proc.kill("SIGKILL");
    throw new Error("hookd did not start in 30 s");
  }
  const running: Running = {
    url: base,
    stdout,
    proc,
    async stop() {
      proc.kill("SIGTERM");
      return proc.exited;
    },
  };
  started.push(running);
  // /healthz answers once the server is really up.
  const health = await fetch(`${base}/healthz`);
  expect(health.status).toBe(200);
  return running;
}

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` },
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json, text };
}

async function runBinary(args: string[]) {
  const proc = Bun.spawn([BINARY, ...args], { cwd: ROOT, env: cleanEnv({}), stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { stdout, stderr, code };
}

const dir = mkdtempSync(join(tmpdir(), "hookd-e2e-"));
let receiver: Receiver;

beforeAll(async () => {
  receiver = startReceiver();
  const build = Bun.spawn([process.execPath, "scripts/build.ts"], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([
    new Response(build.stdout).text(),
    new Response(build.stderr).text(),
    build.exited,
  ]);
  if (code !== 0) throw new Error(`build failed (${code}):\n${out}\n${err}`);
  expect(existsSync(BINARY)).toBe(true);
}, 120_000);

afterAll(async () => {
  for (const r of started) if (r.proc.exitCode === null) r.proc.kill("SIGKILL");
  await receiver?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the binary's commands", () => {
  test("hookd version", async () => {
    const res = await runBinary(["version"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(`hookd ${VERSION}\n`);
  });

  test("hookd --help", async () => {
    const res = await runBinary(["--help"]);
    expect(res.code).toBe(0);
    for (const s of [
      "hookd serve [--db URL|PATH] [--port N] [--host H]",
      "hookd version",
      "HOOKD_DB_URL",
      "HOOKD_PORT",
      "HOOKD_HOST",
      "HOOKD_ADMIN_TOKEN",
    ])
      expect(res.stdout).toContain(s);
  });

  test("hookd serve --port abc stops with exit code 2 and names the setting", async () => {
    const res = await runBinary(["serve", "--port", "abc"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("--port (HOOKD_PORT)");
  });
});

describe("serving a temporary file database", () => {
  const dbUrl = `file:${join(dir, "data", "hookd.db")}`;
  let hookd: Running;
  let recordId = "";

  beforeAll(async () => {
    hookd = await startHookd(["--db", dbUrl, "--host", "127.0.0.1"], {
      HOOKD_ADMIN_TOKEN: TOKEN,
      HOOKD_ALLOW_NETS: "127.0.0.0/8",
      HOOKD_RETRY_BASE_MS: "50",
    });
  });

  test("healthz is public, the API is not", async () => {
    expect((await call(hookd.url, "GET", "/healthz", undefined, {})).json).toEqual({ status: "ok", version: VERSION });
    expect((await call(hookd.url, "GET", "/api/collections", undefined, {})).status).toBe(401);
    expect((await call(hookd.url, "POST", "/graphql", { query: "{ collections { totalItems } }" }, {})).status).toBe(
      401,
    );
    expect((await call(hookd.url, "GET", "/.well-known/jwks.json", undefined, {})).json.keys[0].kid).toBeString();
  });

  test("create a collection VSKI-style, with options as a JSON string", async () => {
    const res = await call(
      hookd.url,
      "POST",
      "/api/collections",
      {
        name: "test_collection",
        type: "base",
        schema: [{ name: "data", type: "text", required: true }],
        options: JSON.stringify({ triggers: [{ action: "create", url: `${receiver.url}/hook`, method: "POST" }] }),
      },
      { "x-api-key": TOKEN, "x-dbname": "default" },
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      name: "test_collection",
      schema: [{ name: "data", type: "text", required: true }],
      options: { triggers: [{ action: "create", url: `${receiver.url}/hook` }] },
    });
  });

  test("add a record through REST and read it back through GraphQL", async () => {
    const created = await call(hookd.url, "POST", "/api/collections/test_collection/records", { data: "Test data" });
    expect(created.status).toBe(200);
    recordId = created.json.id;
    const gql = await call(hookd.url, "POST", "/graphql", {
      query: 'query($id: ID!) { record(collection: "test_collection", id: $id) }',
      variables: { id: recordId },
    });
    expect(gql.status).toBe(200);
    expect(gql.json.data.record).toEqual(created.json);
    const list = await call(hookd.url, "POST", "/graphql", {
      query: '{ records(collection: "test_collection") { totalItems items } }',
    });
    expect(list.json.data.records.totalItems).toBe(1);
  });

  test("the collection's trigger delivers the record to a real receiver", async () => {
    const [req] = await receiver.waitFor(1, 10_000);
    expect(req!.path).toBe("/hook");
    expect(req!.json).toMatchObject({
      action: "create",
      collection: "test_collection",
      record: { id: recordId, data: "Test data" },
    });
  });

  test("/metrics works inside the compiled binary: process metrics and hookd's counters, parsed as Prometheus text", async () => {
    const res = await call(hookd.url, "GET", "/metrics");
    expect(res.status).toBe(200);
    const families = new Map(
      (
        parsePrometheus(res.text) as { name: string; metrics: { value: string; labels?: Record<string, string> }[] }[]
      ).map((f) => [f.name, f]),
    );
    expect(Number(families.get("process_cpu_seconds_total")!.metrics[0]!.value)).toBeGreaterThan(0);
    expect(Number(families.get("process_resident_memory_bytes")!.metrics[0]!.value)).toBeGreaterThan(0);
    const posted = families
      .get("hookd_http_requests_total")!
      .metrics.find((m) => m.labels?.route === "/api/collections/:name/records" && m.labels.method === "POST");
    expect(Number(posted!.value)).toBeGreaterThanOrEqual(1);
    // The record's delivery (the test before this one) is counted once hookd has read the answer.
    const deadline = Date.now() + 5_000;
    let delivered = 0;
    while (delivered === 0 && Date.now() < deadline) {
      const scrape = parsePrometheus((await call(hookd.url, "GET", "/metrics")).text) as {
        name: string;
        metrics: { value: string; labels?: Record<string, string> }[];
      }[];
      const sample = scrape
        .find((f) => f.name === "hookd_deliveries_total")
        ?.metrics.find((m) => m.labels?.source === "trigger" && m.labels.status === "success");
      delivered = Number(sample?.value ?? 0);
      if (delivered === 0) await Bun.sleep(20);
    }
    expect(delivered).toBe(1);
  });

  test("bad input over the socket: 400, 413, 415, 404, never 500", async () => {
    const big = "x".repeat(1024 * 1024 + 10);
    const cases: [string, string, unknown, number, Record<string, string>?][] = [
      ["POST", "/api/collections", "{not json", 400],
      ["POST", "/api/collections", { name: "x", pad: big }, 413],
      ["POST", "/graphql", { query: "{ collections { totalItems } }", variables: { pad: big } }, 413],
      [
        "POST",
        "/api/collections/test_collection/records",
        "data=x",
        415,
        { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${TOKEN}` },
      ],
      ["GET", "/api/collections/nope/records", undefined, 404],
    ];
    for (const [method, path, body, status, headers] of cases) {
      const res = await call(hookd.url, method, path, body, headers);
      expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} ${status}`);
    }
    expect((await call(hookd.url, "GET", "/api/collections/test_collection/records")).json.totalItems).toBe(1);
  });

  test("SIGTERM stops it cleanly, and a new start on the same file has the data", async () => {
    expect(await hookd.stop()).toBe(0);
    expect(hookd.stdout.some((l) => l.includes('"msg":"stopping"'))).toBe(true);
    const again = await startHookd(["--db", dbUrl], { HOOKD_ADMIN_TOKEN: TOKEN });
    try {
      const rec = await call(again.url, "GET", `/api/collections/test_collection/records/${recordId}`);
      expect(rec.json).toMatchObject({ id: recordId, data: "Test data" });
    } finally {
      expect(await again.stop()).toBe(0);
    }
  });
});

describe("without HOOKD_ADMIN_TOKEN", () => {
  const dbUrl = `file:${join(dir, "generated", "hookd.db")}`;

  test("the first start prints a generated token once; it works, and a second start prints nothing", async () => {
    const first = await startHookd(["--db", dbUrl], {});
    let token = "";
    try {
      // A JSON line like every other, whatever the log level.
      const banner = first.stdout.find((l) => l.includes('"msg":"generated an admin token'));
      expect(banner).toBeDefined();
      token = JSON.parse(banner!).token;
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(first.stdout.filter((l) => l.includes(token))).toHaveLength(1);
      expect(
        (await call(first.url, "GET", "/api/collections", undefined, { authorization: `Bearer ${token}` })).status,
      ).toBe(200);
      expect((await call(first.url, "GET", "/api/collections", undefined, { "x-api-key": token })).status).toBe(200);
      expect(
        (await call(first.url, "GET", "/api/collections", undefined, { authorization: "Bearer wrong" })).status,
      ).toBe(401);
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const second = await startHookd(["--db", dbUrl], {});
    try {
      expect(second.stdout.some((l) => l.includes("generated an admin token"))).toBe(false);
      expect(second.stdout.some((l) => l.includes(token))).toBe(false);
      expect((await call(second.url, "GET", "/api/collections", undefined, { "x-api-key": token })).status).toBe(200);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});
