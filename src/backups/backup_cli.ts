// `hookd backup [--db URL] FILE` and `hookd restore FILE [--db URL]`, run from the command line
// (serve.ts hands them here). A refusal is a CliError: one line, exit code 2.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { CliError, type FileCommand } from "../cli";
import { loadConfig } from "../config";
import { ConflictError } from "../errors";
import { assertFileDatabase } from "./backup_store";
import { restoreDatabase } from "./restore";
import { writeSnapshot } from "./snapshot";

/** runFileCommand runs a backup or restore and answers the line to print. */
export async function runFileCommand(command: FileCommand, env: Record<string, string | undefined>): Promise<string> {
  const config = loadConfig(command.flags, env);
  let path: string;
  try {
    path = assertFileDatabase(config.dbUrl);
  } catch (err) {
    if (err instanceof ConflictError) throw new CliError(`${command.name}: ${err.message}`);
    throw err;
  }
  const file = resolve(command.file);
  if (command.name === "restore") return restoreDatabase(file, path, command.force, new Date());
  if (!existsSync(path)) throw new CliError(`backup: ${path} does not exist`);
  if (existsSync(file) && !command.force)
    throw new CliError(`backup: ${file} already exists; add --force to replace it`);
  await writeSnapshot(path, file);
  return `backed up ${path} to ${file}`;
}
