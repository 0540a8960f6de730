// The log of a real `hookd serve` (src/main.ts, as `npm start` runs it): every stdout line is
// one JSON object with level, time and msg; the generated token, start (with the API and
// dashboard URLs), configuration changes (who, what, no secret), a failed delivery, a failed
// cron run and stop are all there. HOOKD_LOG_LEVEL drops what is below it.
import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { jsonLogger } from "../../src/lib/json_logger";
import { startReceiver } from "../support/receiver";
import { tempDbUrl } from "../support/temp_db";
import { waitUntil } from "../support/wait";

const ROOT = join(import.meta.dir, "../..");
const rx = startReceiver();
rx.respond = () => ({ status: 503 });
// A run that failed halfway is stopped here rather than left behind.
let left: { kill(signal?: number | NodeJS.Signals): void } | null = null;
afterAll(async () => {
  left?.kill("SIGKILL");
  await rx.stop();
});

test("a run's stdout: JSON lines from start to stop", async () => {
  const env: Record<string, string> = {
    ...process.env,
    HOOKD_ALLOW_NETS: "127.0.0.0/8",
    HOOKD_LOG_LEVEL: "info",
  } as never;
  delete env.HOOKD_ADMIN_TOKEN;
  const proc = Bun.spawn([process.execPath, "src/main.ts", "serve", "--db", tempDbUrl(), "--port", "0"], {
    cwd: ROOT,
    env,
    stdout: "pipe",
    stderr: "pipe",
  });
  left = proc;
  const lines: any[] = [];
  const raw: string[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    let rest = "";
    for await (const chunk of proc.stdout) {
      rest += decoder.decode(chunk);
      const parts = rest.split("\n");
      rest = parts.pop()!;
      for (const line of parts) {
        raw.push(line);
        lines.push(JSON.parse(line));
      }
    }
  })();
  const waitFor = async (msg: string, match: (l: any) => boolean = () => true) => {
    const found = () => lines.find((l) => l.msg === msg && match(l));
    await waitUntil(`a "${msg}" line`, () => found() !== undefined, 20_000);
    return found();
  };

  const banner = await waitFor("generated an admin token; it is shown once, only its hash is stored");
  const listening = await waitFor("listening");
  expect(listening.api).toBe(`${listening.url}/api/`);
  expect(listening.dashboard).toBe(`${listening.url}/_/`);
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${listening.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${banner.token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const secret = `whsec_${Buffer.from("a secret nobody may read in a log").toString("base64")}`;
  expect(
    (
      await call("POST", "/api/webhooks", {
        name: "hook",
        url: `${rx.url}/h`,
        retryLimit: 1,
        headers: { "X-Token": "hush-hush" },
        secret,
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await call("PATCH", "/api/webhooks/hook", {
        url: `${rx.url}/h2`,
        headers: { "X-Token": "hush-again" },
        rateLimit: 5,
      })
    ).status,
  ).toBe(200);
  const updated = await waitFor("webhook updated");
  expect(updated).toMatchObject({
    level: "info",
    actor: "admin",
    webhook: "hook",
    changed: ["url", "headers", "rateLimit"],
  });
  expect((await call("POST", "/api/webhooks/hook/trigger", {})).status).toBe(200);
  const failed = await waitFor("delivery failed");
  expect(failed).toMatchObject({ level: "warn", target: "webhook/hook", httpStatus: 503, tries: 1 });

  expect(
    (await call("POST", "/api/cron", { name: "bad", schedule: "0 0 1 1 *", type: "sql", sql: "DELETE FROM nowhere" }))
      .status,
  ).toBe(200);
  await call("POST", "/api/cron/bad/run");
  expect(await waitFor("cron run failed")).toMatchObject({ level: "error", job: "bad" });
  expect((await call("DELETE", "/api/cron/bad")).status).toBe(204);
  expect(await waitFor("cron job deleted")).toMatchObject({ actor: "admin", cronJob: "bad" });

  proc.kill("SIGTERM");
  expect(await proc.exited).toBe(0);
  left = null;
  await waitFor("stopped");
  for (const l of lines) {
    expect(["debug", "info", "warn", "error"]).toContain(l.level);
    expect(Number.isNaN(Date.parse(l.time))).toBe(false);
    expect(l.msg).toBeString();
  }
  // Secrets and header values never reach the log; only the generated token's one line holds it.
  const text = raw.join("\n");
  expect(text).not.toContain("hush");
  expect(text).not.toContain(secret);
  expect(raw.filter((l) => l.includes(banner.token))).toHaveLength(1);
}, 60_000);

test("HOOKD_LOG_LEVEL drops the lines below it", () => {
  const written: string[] = [];
  const log = jsonLogger("warn", { instance: "a" }, (line) => written.push(line));
  log.debug("d");
  log.info("i");
  log.warn("w", { n: 1 });
  log.error("e");
  expect(written.map((l) => JSON.parse(l))).toMatchObject([
    { level: "warn", msg: "w", n: 1, instance: "a" },
    { level: "error", msg: "e", instance: "a" },
  ]);
});
