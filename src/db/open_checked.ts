// Opening the configured database at start, and proving it answers, so a database that cannot
// be created, opened or reached stops start-up with one line naming the setting and the cause.
import { ConfigError } from "../config";
import { errorCause } from "../lib/error_cause";
import { type Db, isEmbedded, openDatabase, redactDbUrl } from "./client";

/** openCheckedDatabase opens url and runs one query; it throws ConfigError naming `setting` when either fails. */
export async function openCheckedDatabase(url: string, authToken: string | undefined, setting: string): Promise<Db> {
  let db: Db | undefined;
  try {
    db = await openDatabase(url, authToken);
    await db.execute("SELECT 1");
    return db;
  } catch (err) {
    db?.close();
    const verb = isEmbedded(url) ? "cannot open the database" : "cannot reach the database server";
    throw new ConfigError(`${setting}: ${verb} ${redactDbUrl(url)}: ${errorCause(err)}`);
  }
}
