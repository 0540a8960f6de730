// Calls to hookd's REST and GraphQL APIs with the admin token in the Authorization header.
// Every failure becomes an ApiError whose message a person can read where it happened.
import { clearToken, getToken } from "./session";

/** ApiError is a failed call: HTTP status (0 when hookd could not be reached), code and a readable message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, { message: string }> = {},
  ) {
    super(message);
  }
}

// Called when the server refuses the token, so the app can show the sign-in screen.
let onSignedOut: () => void = () => {};

/** setSignedOutHandler sets what happens when the token is refused. */
export function setSignedOutHandler(fn: () => void): void {
  onSignedOut = fn;
}

/** authHeaders are the headers every call carries. */
export function authHeaders(token = getToken()): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** api calls a REST endpoint and answers its parsed JSON (null for 204). */
export async function api<T = unknown>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { ...authHeaders(token ?? getToken()), accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    throw new ApiError(0, "NETWORK", `Could not reach hookd (${(err as Error).message}). Is the server running?`);
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    if (!res.ok) throw new ApiError(res.status, "HTTP", `hookd answered ${res.status} ${res.statusText}`);
  }
  if (res.ok) return parsed as T;
  if (res.status === 401 && token === undefined) {
    clearToken();
    onSignedOut();
  }
  throw errorFrom(res.status, parsed);
}

/** ErrorBody is hookd's error answer: { status, code, message, data: { field: { code, message } } }. */
interface ErrorBody {
  code?: unknown;
  message?: unknown;
  data?: unknown;
}

function errorFrom(status: number, parsed: unknown): ApiError {
  const body: ErrorBody = typeof parsed === "object" && parsed !== null ? parsed : {};
  const fields =
    typeof body.data === "object" && body.data !== null ? (body.data as Record<string, { message: string }>) : {};
  const message = typeof body.message === "string" ? body.message : `hookd answered ${status}`;
  return new ApiError(status, String(body.code ?? "HTTP"), message, fields);
}

/** describe turns any error into a sentence for the screen. */
export function describe(err: unknown, doing: string): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return err.message;
    return `Could not ${doing}: ${err.message}`;
  }
  return `Could not ${doing}: ${(err as Error)?.message ?? String(err)}`;
}
