// Whether the database answers, for /healthz: cheap (one probe per PROBE_EVERY_MS at most,
// whatever the request rate) and bounded (a server that stops answering is a `degraded` after
// PROBE_TIMEOUT_MS, never a hanging health check). A read alone cannot see a full disk or a
// read-only file — reads keep working there — so a write that failed for such a reason
// (noteFault) makes it degraded for FAULT_HOLD_MS; after that the probe also writes one small
// row, until that succeeds. (On a nearly full disk small writes may pass while larger ones
// fail, hence the hold rather than the probe alone.)
import type { Db } from "./db";
import { databaseFault, type DatabaseFault } from "./db_errors";

/** PROBE_EVERY_MS is how long one probe's answer is reused. */
const PROBE_EVERY_MS = 1_000;
/** PROBE_TIMEOUT_MS is how long a probe may take before the database counts as not answering. */
const PROBE_TIMEOUT_MS = 2_000;
/** FAULT_HOLD_MS is how long a write fault keeps /healthz degraded. */
const FAULT_HOLD_MS = 5_000;
/** REPORT_EVERY_MS is how often onChange hears again of writes that keep failing. */
const REPORT_EVERY_MS = 60_000;

/** DbStatus is /healthz's view of the database: ok, or degraded with the reason. */
export type DbStatus = { ok: true } | { ok: false; fault: DatabaseFault | "timeout" | "error"; message: string };

/** DbHealth probes the database for /healthz and remembers write faults seen elsewhere. */
export class DbHealth {
  private last: { at: number; status: Promise<DbStatus> } | null = null;
  /** asking is a probe still on its way: a server that stopped answering gets one at a time, not one per second. */
  private asking: Promise<DbStatus> | null = null;
  private writeFault: { fault: DatabaseFault; message: string; at: number } | null = null;
  private reportedAt = 0;
  /** onChange hears when writes start failing (once, not per write) and when they work again; boot.ts logs it. */
  onChange: (change: { fault: DatabaseFault; message: string } | { recovered: true }) => void = () => {};

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** noteFault records an error some write met; a full disk or a read-only file makes the next probes write too. */
  noteFault(err: unknown): void {
    const fault = databaseFault(err);
    if (fault === "full" || fault === "read_only" || fault === "io") {
      const message = `a write failed: ${(err as Error)?.message ?? String(err)}`;
      // Heard once, then at most once a minute while writes keep failing (nothing may poll /healthz to clear it).
      const now = this.now();
      if (!this.writeFault || now - this.reportedAt >= REPORT_EVERY_MS) {
        this.onChange({ fault, message });
        this.reportedAt = now;
      }
      this.writeFault = { fault, message, at: now };
      this.last = null;
    }
  }

  /** status answers the database's state, probing at most once per PROBE_EVERY_MS. */
  status(): Promise<DbStatus> {
    const now = this.now();
    const recent = this.writeFault && now - this.writeFault.at < FAULT_HOLD_MS ? this.writeFault : null;
    if (recent) return Promise.resolve({ ok: false, fault: recent.fault, message: recent.message });
    if (!this.last || now - this.last.at >= PROBE_EVERY_MS) this.last = { at: now, status: this.probe() };
    return this.last.status;
  }

  private async probe(): Promise<DbStatus> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<DbStatus>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            ok: false,
            fault: "timeout",
            message: `the database did not answer within ${PROBE_TIMEOUT_MS} ms`,
          }),
        PROBE_TIMEOUT_MS,
      );
    });
    try {
      this.asking ??= this.ask().finally(() => {
        this.asking = null;
      });
      return await Promise.race([this.asking, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async ask(): Promise<DbStatus> {
    try {
      // Not queued behind writes that wait for another process's lock (Db.readNow).
      await this.db.readNow("SELECT 1");
      if (this.writeFault) {
        await this.db.execute({
          sql: "INSERT INTO _settings (key, value) VALUES ('health_probe', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
          args: [new Date(this.now()).toISOString()],
        });
        if (this.writeFault) this.onChange({ recovered: true });
        this.writeFault = null;
      }
      return { ok: true };
    } catch (err) {
      const fault = databaseFault(err) ?? "error";
      return { ok: false, fault, message: (err as Error)?.message ?? String(err) };
    }
  }
}

const trackers = new WeakMap<Db, DbHealth>();

/** dbHealth answers the one tracker of a database handle, so faults noted anywhere reach /healthz. */
export function dbHealth(db: Db): DbHealth {
  let health = trackers.get(db);
  if (!health) trackers.set(db, (health = new DbHealth(db)));
  return health;
}
