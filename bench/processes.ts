// Starting the benchmark's real processes: the receiver and hookd itself (from source, on
// a temp-file database), each reporting the port it bound.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";

export const TOKEN = "bench-token";
const ROOT = join(import.meta.dir, "..");

/** Running is a started process and the base URL it serves. */
export interface Running {
  proc: Subprocess;
  url: string;
}

async function firstLineMatching(proc: Subprocess, pattern: RegExp): Promise<RegExpExecArray> {
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`process exited before printing ${pattern}: ${text}`);
    text += decoder.decode(value);
    const m = pattern.exec(text);
    if (m) {
      reader.releaseLock();
      void (proc.stdout as ReadableStream).pipeTo(new WritableStream()); // keep draining
      return m;
    }
  }
}

/** startReceiver starts bench/receiver.ts on a free port. */
export async function startReceiver(): Promise<Running> {
  const proc = Bun.spawn([process.execPath, join(ROOT, "bench/receiver.ts")], { stdout: "pipe", stderr: "inherit" });
  const m = await firstLineMatching(proc, /"port":(\d+)/);
  return { proc, url: `http://127.0.0.1:${m[1]}` };
}

/** tempDbUrl makes a fresh file: URL in a temp folder. */
export function tempDbUrl(): string {
  return `file:${join(mkdtempSync(join(tmpdir(), "hookd-bench-")), "hookd.db")}`;
}

/**
 * startHookd starts `hookd serve` from source on a free port with the given database, with the
 * JIT setting the documented deployment uses (docs/decisions/011-jit-tier-is-a-setting.md)
 * unless the caller's environment already sets it.
 */
export async function startHookd(dbUrl: string, env: Record<string, string> = {}): Promise<Running> {
  const proc = Bun.spawn([process.execPath, join(ROOT, "src/main.ts"), "serve", "--db", dbUrl, "--port", "0"], {
    env: {
      BUN_JSC_useFTLJIT: "0",
      ...process.env,
      HOOKD_ADMIN_TOKEN: TOKEN,
      HOOKD_ALLOW_NETS: "127.0.0.0/8",
      ...env,
    },
    stdout: "pipe",
    stderr: "inherit",
  });
  const m = await firstLineMatching(proc, /"url":"(http:\/\/[^"]+)"/);
  return { proc, url: m[1]! };
}

/** peakRssMb reads a live process's peak resident set size (VmHWM) in MiB. */
export async function peakRssMb(pid: number): Promise<number> {
  const status = await Bun.file(`/proc/${pid}/status`).text();
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** api calls hookd's REST API with the admin token. */
export async function api(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** ReceiverStats is what bench/receiver.ts has counted since its last reset. */
export interface ReceiverStats {
  count: number;
  unique: number;
  duplicates: number;
  firstAt: number;
  lastAt: number;
  latencies: number[];
}

/** receiverStats reads the receiver's counts. */
export async function receiverStats(receiver: Running): Promise<ReceiverStats> {
  return (await fetch(`${receiver.url}/stats`)).json() as Promise<ReceiverStats>;
}

/** waitForReceiver polls the receiver every `everyMs` until `done` holds or `timeoutMs` passed, and answers its last counts. */
export async function waitForReceiver(
  receiver: Running,
  done: (s: ReceiverStats) => boolean,
  timeoutMs: number,
  everyMs: number,
): Promise<ReceiverStats> {
  const deadline = Date.now() + timeoutMs;
  let s = await receiverStats(receiver);
  while (!done(s) && Date.now() < deadline) {
    await Bun.sleep(everyMs);
    s = await receiverStats(receiver);
  }
  return s;
}
