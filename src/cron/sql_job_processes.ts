// hookd's side of the SQL job processes (sql_job_process.ts), on an embedded file: it starts
// them, keeps up to `keepIdle` for the next runs (for 5 minutes each: a job every second or
// minute finds one ready, a quiet server gives their memory back), and stops a run by ending
// its process (SIGKILL), then waits for it to be gone so the database lock is free.
import type { Subprocess } from "bun";
import { existsSync } from "node:fs";
import { SQL_JOB_PROCESS_COMMAND, type JobReply, type JobRequest } from "./sql_job_process";

const IDLE_FOR_MS = 5 * 60_000;

// A job process is main.ts with a hidden command. The binary starts itself: on Linux through
// /proc/self/exe, which is the very binary running even after an upgrade replaced the file on
// disk, so a job process always speaks its parent's protocol. From source, Bun runs main.ts.
const SELF = existsSync("/proc/self/exe") ? "/proc/self/exe" : process.execPath;
// The last argument is hookd's pid, for the process's watchdog (sql_job_watchdog.ts).
const PROCESS_COMMAND = [
  ...(Bun.main.startsWith("/$bunfs/")
    ? [SELF, SQL_JOB_PROCESS_COMMAND]
    : [process.execPath, Bun.fileURLToPath(new URL("../main.ts", import.meta.url)), SQL_JOB_PROCESS_COMMAND]),
  String(process.pid),
];

/** ProcessReply is a job process's reply, or how its process ended first (stopped: by `signal`; otherwise on its own). */
export type ProcessReply = JobReply | { ended: "stopped" | "died"; error: string };

interface JobProcess {
  proc: Subprocess;
  answer: ((reply: ProcessReply) => void) | null;
  idleTimer?: ReturnType<typeof setTimeout>;
}

/** JobProcesses runs job requests in child processes. */
export class JobProcesses {
  private readonly idle: JobProcess[] = [];
  private readonly all = new Set<JobProcess>();

  constructor(private readonly keepIdle: number) {}

  /** run sends one request to a process and answers its reply; aborting `signal` ends the process and answers once it is gone. */
  run(request: JobRequest, signal: AbortSignal): Promise<ProcessReply> {
    const p = this.idle.pop() ?? this.start();
    clearTimeout(p.idleTimer);
    p.proc.ref();
    return new Promise<ProcessReply>((resolve) => {
      const stop = () => p.proc.kill("SIGKILL");
      signal.addEventListener("abort", stop, { once: true });
      p.answer = (reply) => {
        signal.removeEventListener("abort", stop);
        if (!("ended" in reply)) this.release(p);
        resolve("ended" in reply && signal.aborted ? { ended: "stopped", error: String(signal.reason) } : reply);
      };
      p.proc.send(request);
    });
  }

  /** close ends every process; runs in progress answer that their process ended. */
  close(): void {
    for (const p of this.all) p.proc.kill("SIGKILL");
  }

  private release(p: JobProcess): void {
    if (this.idle.length >= this.keepIdle) return void p.proc.kill();
    p.proc.unref();
    p.idleTimer = setTimeout(() => p.proc.kill(), IDLE_FOR_MS);
    p.idleTimer.unref();
    this.idle.push(p);
  }

  private start(): JobProcess {
    const p: JobProcess = { proc: null as unknown as Subprocess, answer: null };
    const deliver = (reply: ProcessReply) => {
      const answer = p.answer;
      p.answer = null;
      answer?.(reply);
    };
    p.proc = Bun.spawn({
      cmd: PROCESS_COMMAND,
      stdin: "ignore",
      stdout: "inherit",
      stderr: "inherit",
      serialization: "json",
      ipc: (reply: JobReply) => deliver(reply),
    });
    this.all.add(p);
    // Only once the process is gone is its lock released: a stopped run answers then.
    void p.proc.exited.then((code) => {
      this.all.delete(p);
      clearTimeout(p.idleTimer);
      if (this.idle.includes(p)) this.idle.splice(this.idle.indexOf(p), 1);
      deliver({
        ended: "died",
        error: `the job's process ended before the job did (${p.proc.signalCode ?? `exit code ${code}`}); nothing it wrote was kept`,
      });
    });
    return p;
  }
}
