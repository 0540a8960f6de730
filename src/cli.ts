// Command-line parsing: `hookd serve [--db URL|PATH] [--port N] [--host H]`, `hookd backup`,
// `hookd restore`, `hookd --help`, `hookd version`.
import { SETTINGS } from "./config";

/** Command is what the user asked for. */
export type Command =
  | { name: "serve"; flags: Record<string, string> }
  | FileCommand
  | { name: "help" }
  | { name: "version" };

/** FileCommand is `hookd backup [--db URL] FILE` or `hookd restore FILE [--db URL]`, either with --force. */
export interface FileCommand {
  name: "backup" | "restore";
  file: string;
  force: boolean;
  /** flags holds --db when given (HOOKD_DB_URL otherwise, as for serve). */
  flags: Record<string, string>;
}

/** CliError is a usage mistake; its message says what was wrong. */
export class CliError extends Error {}

const FLAGS = new Set(SETTINGS.flatMap((s) => ("flag" in s && s.flag ? [s.flag] : [])));

/** parseCommand reads argv (without the program name). */
export function parseCommand(argv: string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") return { name: "help" };
  if (first === "version" || first === "--version" || first === "-v") return { name: "version" };
  if (first === "backup" || first === "restore") return parseFileCommand(first, rest);
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

function parseFileCommand(name: FileCommand["name"], rest: string[]): FileCommand | { name: "help" } {
  const flags: Record<string, string> = {};
  let file: string | undefined;
  let force = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === "--help" || arg === "-h") return { name: "help" };
    if (arg === "--force") force = true;
    else if (arg === "--db" || arg.startsWith("--db=")) {
      const value = arg === "--db" ? rest[++i] : arg.slice("--db=".length);
      if (value === undefined) throw new CliError("option --db needs a value");
      flags["--db"] = value;
    } else if (arg.startsWith("-")) throw new CliError(`unknown option "${arg}" for ${name}; accepted: --db, --force`);
    else if (file === undefined) file = arg;
    else throw new CliError(`${name} takes one file, not also "${arg}"`);
  }
  if (file === undefined)
    throw new CliError(
      name === "backup"
        ? "usage: hookd backup [--db URL] FILE [--force]"
        : "usage: hookd restore FILE [--db URL] [--force]",
    );
  return { name, file, force, flags };
}

const HELP_WIDTH = 100;

/** wrap breaks text into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** settingRows lays the settings out in aligned columns: flag, variable, then the meaning, wrapped under itself. */
function settingRows(): string[] {
  const flagOf = (s: (typeof SETTINGS)[number]) => ("flag" in s && s.flag ? s.flag : "");
  const flagWidth = Math.max(...SETTINGS.map((s) => flagOf(s).length)) + 2;
  const envWidth = Math.max(...SETTINGS.map((s) => s.env.length)) + 2;
  const indent = 2 + flagWidth + envWidth;
  return SETTINGS.flatMap((s) => {
    const meaning = `${s.help}${s.default ? ` (default ${s.default})` : ""}`;
    const [first, ...rest] = wrap(meaning, HELP_WIDTH - indent);
    return [
      `  ${flagOf(s).padEnd(flagWidth)}${s.env.padEnd(envWidth)}${first}`,
      ...rest.map((line) => `${" ".repeat(indent)}${line}`),
    ];
  });
}

/** helpText describes commands and every setting. */
export function helpText(): string {
  return [
    "hookd — collections, outbound webhooks, cron jobs and a delivery log in one binary",
    "",
    "Usage:",
    "  hookd serve [--db URL|PATH] [--port N] [--host H]   start the server",
    "  hookd backup [--db URL] FILE [--force]              copy the database file, even while it serves",
    "  hookd restore FILE [--db URL] [--force]             put a backup in place (server stopped)",
    "  hookd version                                       print the version",
    "  hookd --help                                        print this help",
    "",
    "Settings (flag, then environment variable, then default):",
    ...settingRows(),
    "",
    "More: docs/configuration.md, in the source and in every release archive.",
    "",
  ].join("\n");
}
