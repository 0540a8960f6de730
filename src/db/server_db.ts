// A libSQL server (sqld) through @libsql/client, with the Db capabilities it has no use for
// (group commit, watching other writers) answered trivially.
import type { Client } from "@libsql/client";
import type { Db, InStatement, Result, TransactionMode } from "./db";

/** ServerDb is a Db over a libSQL server client; every statement commits on its own. */
export class ServerDb implements Db {
  constructor(private readonly client: Client) {}

  execute(stmt: InStatement): Promise<Result> {
    return this.client.execute(stmt);
  }

  /** executeWithin sends at once: there is no group to join. */
  executeWithin(stmt: InStatement, _ms: number): Promise<Result> {
    return this.client.execute(stmt);
  }

  batch(stmts: InStatement[], mode?: TransactionMode): Promise<Result[]> {
    return this.client.batch(stmts, mode);
  }

  /** readNow is an ordinary read: nothing queues in this process. */
  readNow(sql: string): Promise<Result> {
    return this.client.execute(sql);
  }

  watchOtherWriters(_onCommit: () => void): () => void {
    return () => {};
  }

  close(): void {
    this.client.close();
  }
}
