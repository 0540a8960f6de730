// The binary's entrypoint. A running hookd also starts the binary as its SQL job processes
// (cron/sql_job_process.ts); those load only what they need, the server is imported lazily.
import { serveSqlJobs, SQL_JOB_PROCESS_COMMAND } from "./cron/sql_job_process";
import { execSelfWith } from "./lib/self_exec";

if (process.argv[2] === SQL_JOB_PROCESS_COMMAND && process.send) serveSqlJobs();
else {
  // The server runs without JavaScriptCore's optimizing tier (FTL), which the runtime reads only
  // at startup: its compiles compete with deliveries for the cores in a process's first seconds
  // under load and gain nothing later (README, Benchmarks). Setting the variable keeps the choice.
  if (process.argv[2] === "serve" && process.env.BUN_JSC_useFTLJIT === undefined)
    execSelfWith({ BUN_JSC_useFTLJIT: "0" });
  await import("./serve");
}
