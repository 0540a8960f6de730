// Backups every HOOKD_BACKUP_EVERY (off by default), one instance at a time (the _jobs lease),
// keeping the newest HOOKD_BACKUP_KEEP. Each pass is logged.
import { claimJob } from "../deliveries/job_lease";
import type { Deps } from "../deps";
import { repeatPass, type RepeatedPass } from "../runtime/repeated_pass";
import { createBackup, pruneBackups } from "./backup_store";

const JOB = "backup";

type ScheduleDeps = Pick<Deps, "db" | "clock" | "config" | "log" | "timers">;

/** runBackupPass makes a backup when one is due here and prunes old ones; answers its name, or null when not due. */
export async function runBackupPass(deps: ScheduleDeps): Promise<string | null> {
  const { db, clock, config, log } = deps;
  const lease = await claimJob(db, JOB, config.instanceId, clock.now(), Math.max(config.leaseMs, 10 * 60_000));
  if (!lease) return null;
  let name: string | null = null;
  const started = performance.now();
  try {
    const backup = await createBackup(deps);
    name = backup.name;
    const pruned = pruneBackups(deps, config.backupKeep);
    log.info("backup written", { name, bytes: backup.bytes, ms: Math.round(performance.now() - started), pruned });
  } catch (err) {
    log.error("backup failed; the next pass tries again", { error: String((err as Error).message ?? err) });
  } finally {
    await lease.finish(clock.now(), config.backupEveryMs, { name });
  }
  return name;
}

/** startBackupSchedule runs passes until stopped; without HOOKD_BACKUP_EVERY it does nothing. */
export function startBackupSchedule(deps: ScheduleDeps): RepeatedPass {
  if (deps.config.backupEveryMs === 0) return { stop: async () => {} };
  // Checked often, run when due: the lease says when the last pass (on any instance) was.
  const checkMs = Math.min(deps.config.backupEveryMs, 60_000);
  return repeatPass(deps, checkMs, () => runBackupPass(deps), "backup pass failed; the next one tries again");
}
