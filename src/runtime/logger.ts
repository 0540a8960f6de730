// Structured logging, passed in so tests can silence it. A running hookd writes JSON lines
// (lib/json_logger.ts).
import type { LevelLogger } from "../lib/json_logger";

/** Logger writes one structured line per event, at a level. */
export type Logger = LevelLogger;

/** silentLogger drops everything; for tests. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
