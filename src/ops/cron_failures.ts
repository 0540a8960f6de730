// A cron run that failed is logged and told as cron.failed (docs/operating.md, Alerts: operational events).
import type { Logger } from "../runtime/logger";
import type { OpsEvents } from "./ops_events";

/** CronFailure is what is told of a failed run. */
export interface CronFailure {
  job: string;
  runId: string;
  kind: string;
  scheduledAt: string;
  error: string;
}

/** reportCronFailure writes the log line and sends cron.failed to its subscribers. */
export function reportCronFailure(deps: { log: Logger; ops: OpsEvents }, f: CronFailure): void {
  deps.log.error("cron run failed", { ...f, target: `cron/${f.job}` });
  void deps.ops.emit("cron.failed", { ...f, target: `cron/${f.job}` });
}
