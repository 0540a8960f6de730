// A fresh file: database URL in its own temporary folder, for tests that need a second client or process.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** tempDbUrl makes a file: URL in a new temporary folder. */
export function tempDbUrl(prefix = "hookd-test-"): string {
  return `file:${join(mkdtempSync(join(tmpdir(), prefix)), "hookd.db")}`;
}
