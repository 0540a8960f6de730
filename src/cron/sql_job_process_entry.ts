// The SQL job process's entrypoint when hookd runs from source (sql_job_runner.ts starts it);
// the binary starts the same thing through main.ts's hidden command. Nothing imports this file.
import { serveSqlJobs } from "./sql_job_process";

serveSqlJobs();
