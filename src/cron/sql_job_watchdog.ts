// A SQL job process's watchdog thread (sql_job_process.ts). The process runs jobs on its main
// thread, which cannot notice hookd's death while SQLite runs a statement; an orphaned job
// would hold the database's write lock until it ended, or forever. This thread is told hookd's
// pid (hookd may die before the thread starts, so it is not read here) and, once the process's
// parent is no longer hookd (it was adopted), ends the process at once, which rolls back
// whatever it had not committed. Built into the binary as its own entrypoint.
export {};

declare const self: Worker;

self.onmessage = ({ data: hookdPid }: MessageEvent<number>) => {
  setInterval(() => {
    if (process.ppid !== hookdPid) process.kill(process.pid, "SIGKILL");
  }, 200);
};
