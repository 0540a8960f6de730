// What a database error means for a client. Most are bugs (a masked 500), but a few are the
// database's state, not the request's: a full disk, a read-only file, a server that cannot be
// reached. Those are a 503 that says so — the write did not happen and can be sent again once
// the database is back. A capture that would be too large is the request's fault: a 413.
import { AppError, DatabaseUnavailableError } from "../errors";
import { redactDbUrl } from "./db_url";

/** MAX_CAPTURE_BYTES bounds what one write may queue in _webhook_logs: the row's size × the triggers on its action (collections/capture_values.ts). */
export const MAX_CAPTURE_BYTES = 16 * 1024 * 1024;

/** CAPTURE_TOO_LARGE starts the error a capture trigger raises when a write would pass MAX_CAPTURE_BYTES; mapped to a 413 below. */
export const CAPTURE_TOO_LARGE = "hookd: capture too large";

// Codes of a libSQL server that cannot be reached: Bun's fetch, Node's sockets, undici, and
// @libsql/client's own for a WebSocket (libsql://, ws://) that failed or closed.
const UNREACHABLE =
  /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|ConnectionRefused|ConnectionClosed|FailedToOpenSocket|UND_ERR_\w+|HRANA_WEBSOCKET_ERROR|HRANA_CLOSED_ERROR)$/;
/** GATEWAY is what a proxy in front of a server answers while the server is down (SERVER_ERROR's HTTP status). */
const GATEWAY = new Set([502, 503, 504]);

/** DatabaseFault is the kind of database trouble an error shows, if any. */
export type DatabaseFault = "full" | "read_only" | "io" | "unreachable" | "locked";

function codesOf(err: unknown): { codes: string[]; messages: string[]; statuses: number[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  const statuses: number[] = [];
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as Error).cause, depth++) {
    const { code, status } = e as { code?: unknown; status?: unknown };
    if (typeof code === "string") codes.push(code);
    if (typeof status === "number") statuses.push(status);
    if (typeof (e as Error).message === "string") messages.push((e as Error).message);
  }
  return { codes, messages, statuses };
}

/** databaseFault tells whether an error (or its cause) is the database's state rather than a bug. */
export function databaseFault(err: unknown): DatabaseFault | null {
  const { codes, messages, statuses } = codesOf(err);
  const text = messages.join(" ");
  if (codes.some((c) => c.startsWith("SQLITE_FULL")) || /database or disk is full/i.test(text)) return "full";
  if (codes.some((c) => c.startsWith("SQLITE_READONLY")) || /readonly database/i.test(text)) return "read_only";
  if (codes.some((c) => c.startsWith("SQLITE_IOERR") || c === "SQLITE_CANTOPEN")) return "io";
  if (codes.some((c) => UNREACHABLE.test(c)) || /Unable to connect|fetch failed/i.test(text)) return "unreachable";
  if (codes.includes("SERVER_ERROR") && statuses.some((s) => GATEWAY.has(s))) return "unreachable";
  if (codes.some((c) => c.startsWith("SQLITE_BUSY"))) return "locked";
  return null;
}

/** describeFault is the client's message for a fault: what happened and that nothing was written. */
export function describeFault(fault: DatabaseFault, dbUrl: string): DatabaseUnavailableError {
  switch (fault) {
    case "full":
      return new DatabaseUnavailableError(
        "DATABASE_FULL",
        "the database's disk is full: nothing was written; reads keep working, and writes work again once space is freed",
      );
    case "read_only":
      return new DatabaseUnavailableError(
        "DATABASE_READ_ONLY",
        "the database file is read-only: nothing was written; reads keep working, and writes work again once it can be written",
      );
    case "io":
      return new DatabaseUnavailableError(
        "DATABASE_IO_ERROR",
        "the database could not read or write its file (an I/O error): nothing was written; see the server log",
      );
    case "unreachable":
      return new DatabaseUnavailableError(
        "DATABASE_UNREACHABLE",
        `the libSQL server at ${redactDbUrl(dbUrl)} cannot be reached: nothing was written; try again once it answers`,
      );
    case "locked":
      return new DatabaseUnavailableError(
        "DATABASE_LOCKED",
        "another connection kept the database locked too long: nothing was written; send it again",
      );
  }
}

/** clientErrorOf maps a database error to the error a client should get, or null for a bug (a masked 500). */
export function clientErrorOf(err: unknown, dbUrl: string): AppError | null {
  if (err instanceof AppError) return err;
  const { messages } = codesOf(err);
  if (messages.some((m) => m.includes(CAPTURE_TOO_LARGE)))
    return new AppError(
      413,
      "CAPTURE_TOO_LARGE",
      `this write would queue more than ${MAX_CAPTURE_BYTES} bytes of webhook payloads (the record's size times the triggers on its action); nothing was written; make the record smaller or use fewer triggers`,
    );
  const fault = databaseFault(err);
  return fault ? describeFault(fault, dbUrl) : null;
}
