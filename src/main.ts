// The binary's entrypoint. A running hookd also starts the binary as its SQL job processes
// (cron/sql_job_process.ts); those load only what they need, the server is imported lazily.
import { serveSqlJobs, SQL_JOB_PROCESS_COMMAND } from "./cron/sql_job_process";
import { restartForJitTier } from "./runtime/jit_tier";

if (process.argv[2] === SQL_JOB_PROCESS_COMMAND && process.send) serveSqlJobs();
else {
  // First, before the server's modules load: HOOKD_JIT may start `hookd serve` again in place.
  if (process.argv[2] === "serve") restartForJitTier(process.env);
  await import("./serve");
}
