// The real binary, built once per test run, started as a user would start it.
import type { Subprocess } from "bun";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "../..");
/** BINARY is where `bun scripts/build.ts` writes hookd. */
export const BINARY = join(ROOT, "dist/hookd");

let built: Promise<void> | null = null;

/** buildBinaryOnce runs the build script the first time it is called in this test process. */
export function buildBinaryOnce(): Promise<void> {
  built ??= (async () => {
    const proc = Bun.spawn([process.execPath, join(ROOT, "scripts/build.ts")], {
      cwd: ROOT,
      stdout: "pipe",
      stderr: "pipe",
    });
    if ((await proc.exited) !== 0) throw new Error(`build failed: ${await new Response(proc.stderr).text()}`);
  })();
  return built;
}

/** RunningBinary is a started `hookd serve`, the URL it listens on and its output up to its "listening" line. */
export interface RunningBinary {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  url: string;
  started: string;
  /** stdout is every log line written so far. */
  stdout(): string;
}

/** startBinary runs `hookd serve --db <dbUrl> --port <port>` (of `binary`, by default the built one; port 0 picks one) with env and waits for its "listening" line. */
export async function startBinary(
  dbUrl: string,
  env: Record<string, string>,
  binary = BINARY,
  port = 0,
): Promise<RunningBinary> {
  const proc = Bun.spawn([binary, "serve", "--db", dbUrl, "--port", String(port)], {
    env: { ...process.env, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`hookd exited before listening: ${text}${await new Response(proc.stderr).text()}`);
    text += decoder.decode(value);
    const m = /"url":"(http:\/\/[^"]+)"/.exec(text);
    if (m) {
      reader.releaseLock();
      const started = text;
      // Keep draining (so the process never blocks on a full pipe) and keep the lines for the test.
      void proc.stdout.pipeTo(new WritableStream({ write: (chunk) => void (text += decoder.decode(chunk)) }));
      return { proc, url: m[1]!, started, stdout: () => text };
    }
  }
}

/** binaryApi answers a request helper that calls a running binary with the admin token and a JSON body. */
export function binaryApi(token: string) {
  return (base: string, method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}
