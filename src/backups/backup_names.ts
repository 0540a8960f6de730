// Backup file names: made by hookd from the time (hookd-20261206T140500123Z.db), and checked
// whenever one comes from a client, so a name can never reach outside HOOKD_BACKUP_DIR.

/** BACKUP_NAME is what a backup's name may be: letters, digits, _ . -, no leading dot, ending in .db. */
const BACKUP_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}\.db$/;

/** backupName names a backup taken at `at`. */
export function backupName(at: Date): string {
  return `hookd-${at.toISOString().replace(/[-:.]/g, "")}.db`;
}

/** backupNameProblem says why a name is not a backup's name, or null when it is. */
export function backupNameProblem(name: string): string | null {
  if (!BACKUP_NAME.test(name)) return "must be 1-124 letters, digits, _ . or - ending in .db, not starting with . or -";
  if (name.includes("..")) return "must not contain ..";
  return null;
}
