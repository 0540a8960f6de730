import { createClient, type Client } from "@libsql/client";
import { retryBusyWrites } from "./busy_retry";

/** Db is the database handle passed to every part of hookd. */
export type Db = Client;

/** isEmbedded tells whether the URL is an in-process database (file or memory). */
export function isEmbedded(url: string): boolean {
  return url === ":memory:" || url.startsWith("file:");
}

/** redactDbUrl hides credentials (user:password@, authToken=…) so a database URL can be logged. */
export function redactDbUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/, "//***@").replace(/([?&](?:authToken|auth_token|token)=)[^&]*/gi, "$1***");
}

/** openDatabase connects; embedded files get WAL and a busy timeout, a server gets retries on SQLITE_BUSY. */
export async function openDatabase(url: string, authToken?: string): Promise<Db> {
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length).split("?")[0]!;
    const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
    if (dir) await import("node:fs/promises").then((fs) => fs.mkdir(dir, { recursive: true }));
  }
  const db = createClient({ url, authToken });
  if (!isEmbedded(url)) return retryBusyWrites(db);
  if (url.startsWith("file:")) {
    await db.execute("PRAGMA journal_mode = WAL");
    // NORMAL in WAL mode never loses a commit to a process crash (only to power loss),
    // and spares an fsync per delivery attempt.
    await db.execute("PRAGMA synchronous = NORMAL");
    // Other processes (a second hookd, a SQL shell) may hold the write lock briefly.
    await db.execute("PRAGMA busy_timeout = 5000");
  }
  return db;
}
