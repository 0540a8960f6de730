// Structured logs: one JSON object per line on stdout, {time, level, msg, ...fields}, with a
// level below which lines are dropped (HOOKD_LOG_LEVEL).

/** LOG_LEVELS in increasing severity. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** LevelLogger writes lines at each level; what is below its level is dropped. */
export interface LevelLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** jsonLine formats one log line (with its newline). */
export function jsonLine(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`;
}

/** jsonLogger writes lines at `level` and above through `write` (stdout by default), each with the `base` fields. */
export function jsonLogger(
  level: LogLevel,
  base: Record<string, unknown> = {},
  write: (line: string) => void = (line) => void process.stdout.write(line),
): LevelLogger {
  const min = LOG_LEVELS.indexOf(level);
  const at =
    (l: LogLevel) =>
    (msg: string, fields: Record<string, unknown> = {}): void => {
      if (LOG_LEVELS.indexOf(l) >= min) write(jsonLine(l, msg, { ...base, ...fields }));
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
