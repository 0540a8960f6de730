// Command-line parsing: `hookd serve [--db URL] [--port N] [--host H]`, `hookd --help`, `hookd version`.
import { SETTINGS } from "./config";

/** Command is what the user asked for. */
export type Command = { name: "serve"; flags: Record<string, string> } | { name: "help" } | { name: "version" };

/** CliError is a usage mistake; its message says what was wrong. */
export class CliError extends Error {}

const FLAGS = new Set(SETTINGS.flatMap((s) => ("flag" in s && s.flag ? [s.flag] : [])));

/** parseCommand reads argv (without the program name). */
export function parseCommand(argv: string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") return { name: "help" };
  if (first === "version" || first === "--version" || first === "-v") return { name: "version" };
  if (first !== "serve") throw new CliError(`unknown command "${first}"; try: hookd --help`);
  const flags: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === "--help" || arg === "-h") return { name: "help" };
    const [flag, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    if (!FLAGS.has(flag)) throw new CliError(`unknown option "${flag}" for serve; accepted: ${[...FLAGS].join(", ")}`);
    const value = inline ?? rest[++i];
    if (value === undefined) throw new CliError(`option ${flag} needs a value`);
    flags[flag] = value;
  }
  return { name: "serve", flags };
}

/** helpText describes commands and every setting. */
export function helpText(): string {
  const rows = SETTINGS.map(
    (s) =>
      `  ${("flag" in s && s.flag ? `${s.flag}, ` : "").padEnd(8)}${s.env.padEnd(24)}${s.help}${s.default ? ` (default ${s.default})` : ""}`,
  );
  return [
    "hookd — collections, outbound webhooks, cron jobs and a delivery log in one binary",
    "",
    "Usage:",
    "  hookd serve [--db URL] [--port N] [--host H]   start the server",
    "  hookd version                                  print the version",
    "  hookd --help                                   print this help",
    "",
    "Settings (flag, then environment variable, then default):",
    ...rows,
    "",
  ].join("\n");
}
