// The embedded database (a file or :memory:), driven through the `libsql` package directly
// rather than @libsql/client, for the write path's sake:
// - statements are prepared once and kept (statement_runner.ts): the capture triggers are
//   compiled at prepare time, so preparing every INSERT again cost much of each API write;
// - every statement and batch issued during one turn of the event loop runs in ONE
//   transaction (group commit), each with its own result or error, resolved only after the
//   commit. Concurrent API writes, claims and attempt records then share one commit.
// Everything here is synchronous on the calling thread; callers still get promises, so the
// interface is the same as a server database's (db.ts).
import Database from "libsql";
import type { Db, InStatement, Result, TransactionMode } from "./db";
import type { Checkpointer } from "./checkpointer";
import { READ_ONLY, StatementRunner } from "./statement_runner";

type Work = { kind: "one"; stmt: InStatement } | { kind: "batch"; stmts: InStatement[]; mode: TransactionMode };
interface Queued {
  work: Work;
  resolve: (value: never) => void;
  reject: (err: unknown) => void;
  result?: Result | Result[];
  error?: unknown;
}

/** MAX_GROUP bounds one group commit, so a flood of writes still commits in steady steps. */
const MAX_GROUP = 512;
/** OTHER_WRITERS_MS is how often watchOtherWriters asks SQLite whether another connection committed (a µs or two each time). */
const OTHER_WRITERS_MS = 10;
/** BUSY_WAIT_MS bounds how long a group waits for another process's write lock before failing. */
const BUSY_WAIT_MS = 30_000;

/** EmbeddedDb is an in-process libSQL database with group commit; statement_runner.ts runs the statements. */
export class EmbeddedDb implements Db {
  private readonly raw: Database.Database;
  private readonly runner: StatementRunner;
  private queue: Queued[] = [];
  private immediate = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private busySince = 0;
  private closed = false;
  private checkpointer: Checkpointer | null = null;
  /** onError hears every error a statement, BEGIN or COMMIT met (db_health.ts watches for a full disk there). */
  onError: (err: unknown) => void = () => {};

  constructor(private readonly path: string) {
    this.raw = new Database(path);
    this.runner = new StatementRunner(this.raw);
  }

  /** pragma runs a PRAGMA at once, outside any group (journal_mode cannot change inside a transaction). */
  pragma(sql: string): void {
    this.raw.exec(sql);
  }

  /** execute runs one statement in the current turn's group. */
  execute(stmt: InStatement): Promise<Result> {
    return this.enqueue({ kind: "one", stmt });
  }

  /**
   * executeWithin runs one statement with the next group that commits anyway, or within `ms`
   * at the latest. For writes nobody waits on (attempt records): at low concurrency they then
   * share the next API write's commit instead of paying for one of their own.
   */
  executeWithin(stmt: InStatement, ms: number): Promise<Result> {
    if (this.closed) return Promise.reject(new Error("the database is closed"));
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ work: { kind: "one", stmt }, resolve: resolve as (v: never) => void, reject });
      this.schedule(ms);
    });
  }

  /** batch runs statements all-or-nothing (a savepoint inside the group) in the current turn's group. */
  batch(stmts: InStatement[], mode: TransactionMode = "deferred"): Promise<Result[]> {
    return this.enqueue({ kind: "batch", stmts, mode });
  }

  /**
   * readNow runs a read at once, outside the groups: for /healthz, which must not wait behind
   * writes queued for another process's lock (a long SQL job). Groups run within one turn, so
   * no transaction is open between them.
   */
  readNow(sql: string): Promise<Result> {
    try {
      if (this.closed) throw new Error("the database is closed");
      return Promise.resolve(this.runner.execute(sql));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** useCheckpointer hands checkpoints to a thread (checkpointer.ts): told of each commit, stopped on close. */
  useCheckpointer(checkpointer: Checkpointer): void {
    this.checkpointer = checkpointer;
  }

  /** watchOtherWriters calls onCommit within OTHER_WRITERS_MS of a commit by another connection to this file (db.ts). */
  watchOtherWriters(onCommit: () => void): () => void {
    // No other connection can open an in-memory database.
    if (this.path === ":memory:") return () => {};
    // data_version changes, as this connection sees it, only when another connection commits.
    const statement = this.raw.prepare("PRAGMA data_version");
    const version = () => (statement.get() as { data_version: number }).data_version;
    let seen = version();
    const timer = setInterval(() => {
      // A closed connection has nothing more to watch, whether or not its watcher was stopped.
      if (this.closed) return clearInterval(timer);
      const now = version();
      if (now === seen) return;
      seen = now;
      onCommit();
    }, OTHER_WRITERS_MS);
    return () => clearInterval(timer);
  }

  /** close closes the connection; queued work fails. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.checkpointer?.stop();
    if (this.timer) clearTimeout(this.timer);
    for (const q of this.queue.splice(0)) q.reject(new Error("the database is closed"));
    this.raw.close();
  }

  private enqueue<T>(work: Work): Promise<T> {
    if (this.closed) return Promise.reject(new Error("the database is closed"));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: never) => void, reject });
      this.schedule(0);
    });
  }

  private schedule(delayMs: number): void {
    if (delayMs === 0) {
      // The immediate runs after this turn's other callbacks: that is what groups them. (In
      // bun:test, expect(p).resolves/rejects waits in a nested loop that runs no immediates
      // until a timer fires: await such promises directly. No backup timer: see
      // docs/decisions/003-one-total-db.md.)
      if (this.immediate) return;
      this.immediate = true;
      setImmediate(() => {
        this.immediate = false;
        this.flush();
      });
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, delayMs);
    }
  }

  private flush(): void {
    if (this.closed || this.queue.length === 0) return;
    const group = this.queue.slice(0, MAX_GROUP);
    // Writes always run inside BEGIN IMMEDIATE, even alone: taking the lock up front is where
    // another process's lock is met, and there the group can simply wait and try again.
    const needsTransaction = group.some((q) => !isRead(q.work));
    try {
      if (needsTransaction && !this.begin()) return; // another process holds the lock: try again shortly
    } catch (err) {
      this.onError(err);
      for (const q of this.queue.splice(0, group.length)) q.reject(err);
      if (this.queue.length > 0) this.schedule(0);
      return;
    }
    this.queue.splice(0, group.length);
    for (const q of group) this.run(q, needsTransaction);
    if (needsTransaction) this.commit(group);
    for (const q of group) {
      if (q.error !== undefined) q.reject(q.error);
      else q.resolve(q.result as never);
    }
    if (this.queue.length > 0) this.schedule(0);
  }

  /** begin takes the write lock, or schedules a retry and answers false while another connection holds it. */
  private begin(): boolean {
    try {
      this.raw.exec("BEGIN IMMEDIATE");
      this.busySince = 0;
      return true;
    } catch (err) {
      if (!isBusyError(err)) throw err;
      const now = Date.now();
      this.busySince ||= now;
      if (now - this.busySince > BUSY_WAIT_MS) {
        this.busySince = 0;
        for (const q of this.queue.splice(0)) q.reject(err);
        return false;
      }
      this.schedule(Math.min(50, 1 + (now - this.busySince) / 10));
      return false;
    }
  }

  private run(q: Queued, inTransaction: boolean): void {
    try {
      q.result =
        q.work.kind === "one" ? this.runner.execute(q.work.stmt) : this.runner.batch(q.work.stmts, inTransaction);
    } catch (err) {
      q.error = err;
      this.onError(err);
    }
  }

  private commit(group: Queued[]): void {
    // A few errors (I/O, disk full, RAISE(ROLLBACK)) end the whole transaction: then nothing
    // of the group was committed, and every member must hear so.
    if (!this.raw.inTransaction) {
      // The cause says which error it was (a full disk is a 503 for every member, not only the one that met it).
      const cause = group.find((q) => q.error !== undefined)?.error;
      for (const q of group)
        if (q.error === undefined && !isRead(q.work))
          q.error = new Error(
            `the transaction was rolled back by an error in another statement of its group (${(cause as Error)?.message ?? cause}); nothing was written`,
            { cause },
          );
      this.readAgain(group);
      return;
    }
    try {
      this.raw.exec("COMMIT");
      this.checkpointer?.committed();
    } catch (err) {
      this.onError(err);
      try {
        if (this.raw.inTransaction) this.raw.exec("ROLLBACK");
      } catch {
        // the connection will refuse the next BEGIN, and that group will hear why
      }
      for (const q of group) if (!isRead(q.work)) q.error ??= err;
      this.readAgain(group);
    }
  }

  /**
   * readAgain runs a failed group's reads once more, outside it: they may have seen its writes,
   * which were not committed, and a read should not fail because a write beside it did (a full
   * disk leaves reads working).
   */
  private readAgain(group: Queued[]): void {
    for (const q of group) {
      if (!isRead(q.work)) continue;
      q.error = undefined;
      this.run(q, false);
    }
  }
}

function isRead(work: Work): boolean {
  if (work.kind === "batch") return work.mode === "read";
  const sql = typeof work.stmt === "string" ? work.stmt : work.stmt.sql;
  // PRAGMAs run outside a transaction (some, like journal_mode, cannot run inside one).
  return READ_ONLY.test(sql);
}

/** isBusyError tells whether libsql refused because another connection holds the lock (SQLITE_BUSY and its extended codes). */
export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}
