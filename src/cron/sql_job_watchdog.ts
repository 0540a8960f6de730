// A SQL job process's watchdog thread (sql_job_process.ts). The process runs jobs on its main
// thread, which cannot notice hookd's death while SQLite runs a statement; an orphaned job
// would hold the database's write lock until it ended, or forever. This thread sees the
// parent change (hookd died and the process was adopted) and ends the process at once, which
// rolls back whatever it had not committed. Built into the binary as its own entrypoint.
export {};

const hookdPid = process.ppid;

setInterval(() => {
  if (process.ppid !== hookdPid) process.kill(process.pid, "SIGKILL");
}, 200);
