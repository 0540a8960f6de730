// Before SQLite opens an embedded database, hookd makes sure the file can be created or opened,
// so a mistake is reported in the operating system's words (permission denied, read-only file
// system) instead of SQLite's "unable to open: 14". Only the database's own directory is created:
// a missing parent is far more often a typo (`/var/lib/hokd/…`) than a wish for a new tree.
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";

/** prepareDatabaseFile creates the file's directory when only that is missing, and the file when absent; it throws with the reason when it cannot (an existing file is left to SQLite). */
export function prepareDatabaseFile(path: string): void {
  const dir = dirname(path);
  if (!existsSync(dir)) {
    const parent = dirname(dir);
    if (!existsSync(parent))
      throw new Error(
        `directory ${parent} does not exist (hookd creates the database's own directory, not its parents)`,
      );
    mkdirSync(dir);
  }
  // Only a missing file is made here: an existing one may be read-only on purpose (a read-only
  // volume), and SQLite then opens it read-only — hookd serves reads, writes are a 503.
  if (!existsSync(path)) closeSync(openSync(path, "a"));
  else accessSync(path, constants.R_OK);
}
