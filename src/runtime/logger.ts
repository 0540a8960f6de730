// Structured logging, passed in so tests can silence it.

/** Logger writes one structured line per event. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** jsonLogger writes JSON lines to stdout (info) and stderr (warn, error). */
export function jsonLogger(base: Record<string, unknown> = {}): Logger {
  const write =
    (level: string, stream: NodeJS.WriteStream) =>
    (msg: string, fields: Record<string, unknown> = {}) =>
      stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...fields })}\n`);
  return {
    info: write("info", process.stdout),
    warn: write("warn", process.stderr),
    error: write("error", process.stderr),
  };
}

/** silentLogger drops everything; for tests. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
