// The README's Quickstart, run as printed and in order: its ```sh blocks are taken from
// README.md — the first starts hookd (run here as the built binary, with the variables the
// line sets), the second the receiver, the rest run one by one in bash, keeping the shell
// variables they set — and what they print is checked, the receiver's output against the
// ```text block the README shows. Ports 8090 and 9000 are swapped for free ones, so the test
// can run beside another hookd.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINARY, buildBinaryOnce } from "../support/binary";

const ROOT = join(import.meta.dir, "../..");
// The quickstart's commands need curl and bash; `npm test` must also pass on a machine with
// only Node.js and npm, where this test says so and is skipped.
const TOOLS_MISSING = ["curl", "bash"].filter((tool) => !Bun.which(tool));
if (TOOLS_MISSING.length > 0) console.warn(`readme_quickstart: skipped, ${TOOLS_MISSING.join(" and ")} not installed`);
const readme = await Bun.file(join(ROOT, "README.md")).text();

/** quickstartBlocks gives the fenced blocks of the Quickstart section, with their language. */
function quickstartBlocks(): { lang: string; text: string }[] {
  const start = readme.indexOf("## Quickstart");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  return [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, text: m[2]!.trimEnd() }));
}

function freePort(): number {
  const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}

const blocks = quickstartBlocks();
const sh = blocks.filter((b) => b.lang === "sh").map((b) => b.text);
const receiverShows = () => local(blocks.find((b) => b.lang === "text")!.text);
const hookdPort = freePort();
const receiverPort = freePort();
const local = (cmd: string) => cmd.replace(/\b8090\b/g, String(hookdPort)).replace(/\b9000\b/g, String(receiverPort));

let dataDir = "";
let hookd: ReturnType<typeof Bun.spawn>;
let receiver: ReturnType<typeof Bun.spawn>;
let received = "";
let shellVars = "";

/** waitFor polls until check passes (or throws after timeoutMs, with what it last saw). */
async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; receiver printed:\n${received}`);
    await Bun.sleep(20);
  }
}

/** run runs one block in bash after the variables earlier blocks set, and answers what it printed. */
async function run(block: string): Promise<string> {
  const names = [...block.matchAll(/^([A-Za-z_]\w*)=/gm)].map((m) => m[1]!);
  const dump = names.map((n) => `printf '%s=%q\\n' ${n} "$${n}"`).join("\n");
  const script = `set -eo pipefail\n${shellVars}\n${local(block)}\nprintf '\\n__VARS__\\n'\n${dump}\n`;
  const proc = Bun.spawn(["bash", "-c", script], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) throw new Error(`block failed (${code}):\n${block}\n${err}`);
  const [printed, vars] = out.split("\n__VARS__\n");
  shellVars += vars ?? "";
  return printed!;
}

/** jsonValues parses the JSON objects curl printed back to back (curl adds no newline between them). */
function jsonValues(text: string): any[] {
  const values: any[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") {
      if (depth === 0) start = i;
      depth++;
    } else if (c === "}" && --depth === 0) values.push(JSON.parse(text.slice(start, i + 1)));
  }
  return values;
}

/** hookdGet reads hookd's REST API with the quickstart's token. */
async function hookdGet(path: string): Promise<any> {
  return (await fetch(`http://127.0.0.1:${hookdPort}${path}`, { headers: { authorization: "Bearer secret" } })).json();
}

/** matchesInOrder tells whether every expected line (… matching anything) appears in text's lines, in order. */
function matchesInOrder(text: string, expected: string): boolean {
  const lines = text.split("\n");
  let at = 0;
  for (const want of expected.split("\n")) {
    const re = new RegExp(
      `^${want
        .split("…")
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
    );
    while (at < lines.length && !re.test(lines[at]!)) at++;
    if (at === lines.length) return false;
    at++;
  }
  return true;
}

beforeAll(async () => {
  if (TOOLS_MISSING.length > 0) return;
  await buildBinaryOnce();
  dataDir = mkdtempSync(join(tmpdir(), "hookd-quickstart-"));
  // Block 1 is `VAR=value … npm start`: the binary, with those variables, in a fresh directory.
  const start = /^((?:\w+=\S+\s+)*)npm start$/.exec(sh[0]!.trim());
  if (!start) throw new Error(`the quickstart's first command is not "VAR=… npm start": ${sh[0]}`);
  const env = Object.fromEntries([...start[1]!.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
  hookd = Bun.spawn([BINARY, "serve"], {
    cwd: dataDir,
    env: { ...process.env, ...env, HOOKD_PORT: String(hookdPort) },
    stdout: "ignore",
    stderr: "pipe",
  });
  receiver = Bun.spawn(["bash", "-c", `exec ${local(sh[1]!)}`], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  void (async () => {
    for await (const chunk of receiver.stdout as ReadableStream<Uint8Array>)
      received += new TextDecoder().decode(chunk);
  })();
  await waitFor(
    "hookd to answer /healthz",
    () =>
      fetch(`http://127.0.0.1:${hookdPort}/healthz`).then(
        (r) => r.ok,
        () => false,
      ),
    20_000,
  );
  await waitFor("the receiver to listen", () => received.includes("listening"));
}, 120_000);

afterAll(() => {
  hookd?.kill();
  receiver?.kill();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("the quickstart has the blocks this test runs", () => {
  expect(sh.length).toBe(7);
  expect(sh[2]).toContain("/api/collections \\");
  expect(sh[3]).toContain("RECORD_ID=");
  expect(sh[4]).toContain("/api/webhooks/logs");
  expect(sh[5]).toContain("updateRecord");
  expect(sh[6]).toContain("/api/cron/health/run");
});

test.skipIf(TOOLS_MISSING.length > 0)(
  "every command works as printed, in order, and prints what the README says",
  async () => {
    const [collection] = jsonValues(await run(sh[2]!));
    expect(collection).toMatchObject({
      name: "posts",
      options: { triggers: [{ action: "create" }, { action: "update", jwtEnabled: true }] },
    });

    const recordOut = await run(sh[3]!);
    expect(jsonValues(recordOut)[0]).toMatchObject({ title: "Hello", status: "draft", collectionName: "posts" });
    expect(shellVars).toMatch(/RECORD_ID=[0-9a-f]{16}\n/);

    await waitFor("the receiver to print the create delivery", () => received.includes("POST /hook"));
    // The rest of that request's lines follow; the error names what was printed if they never match.
    await waitFor(`the receiver to print what the README shows:\n${receiverShows()}\n`, () =>
      matchesInOrder(received, receiverShows()),
    );

    await waitFor(
      "the delivery to succeed",
      async () => (await hookdGet("/api/webhooks/logs?collection=posts")).items[0]?.status === "success",
    );
    const [logs] = jsonValues(await run(sh[4]!));
    expect(logs).toMatchObject({ totalItems: 1, items: [{ action: "create", status: "success", http_status: 200 }] });

    const [updateOut, queryOut] = jsonValues(await run(sh[5]!));
    expect(updateOut).toMatchObject({ data: { updateRecord: { title: "Hello", status: "published" } } });
    expect(queryOut).toMatchObject({ data: { records: { totalItems: 1 }, webhookLogs: { items: expect.any(Array) } } });
    await waitFor("the update delivery, with a JWT", () =>
      /POST \/hook\n(?:.*\n)*?authorization: Bearer /.test(received),
    );

    const cronOut = jsonValues(await run(sh[6]!));
    expect(cronOut.map((o) => o.name ?? o.status)).toEqual(["cleanup", "health", "success"]);
    await waitFor("the receiver to print GET /health", () => received.includes("GET /health"));
  },
  60_000,
);
