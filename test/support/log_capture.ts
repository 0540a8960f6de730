// A Logger that keeps its lines, for tests that check what hookd logs.
import type { Logger } from "../../src/runtime/logger";

/** LoggedLine is one captured line. */
export interface LoggedLine {
  level: string;
  msg: string;
  fields: Record<string, unknown>;
}

/** captureLog answers a Logger and the lines it was given, in order. */
export function captureLog(): Logger & { lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const at =
    (level: string) =>
    (msg: string, fields: Record<string, unknown> = {}) =>
      void lines.push({ level, msg, fields });
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
