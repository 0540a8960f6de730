// Trying a transform before saving it (docs/control.md): what a delivery would send with it, given an
// event or a logged delivery (whose stored payload is the event and whose URL, method and
// headers are the request's), or the error with its position.
import type { Db } from "../db/client";
import { fieldError, NotFoundError } from "../errors";
import { eventOf } from "./transform_step";
import { compileTransform, runTransform, TransformError } from "./transform";

/** PreviewInput is `transform` and either `event` or `logId`. */
export interface PreviewInput {
  transform?: unknown;
  event?: unknown;
  logId?: unknown;
}

/** Preview is the request that would be sent (url, method and headers known only from a log), or the error. */
export type Preview =
  | { url: string | null; method: string | null; headers: Record<string, string> | null; body: string | null }
  | { error: { message: string; position: number | null } };

/** previewTransform evaluates the transform as an attempt would; a syntax error is a 400 naming transform. */
export async function previewTransform(db: Db, input: PreviewInput): Promise<Preview> {
  if (typeof input.transform !== "string" || input.transform.trim() === "")
    throw fieldError("transform", "required", "give a JSONata expression");
  if ((input.event === undefined) === (input.logId === undefined))
    throw fieldError("event", "required", "give either event (the input) or logId (a logged delivery)");
  let compiled: ReturnType<typeof compileTransform>;
  try {
    compiled = compileTransform(input.transform);
  } catch (err) {
    throw fieldError("transform", "syntax", (err as Error).message);
  }
  const request = input.logId === undefined ? null : await loggedRequest(db, input.logId);
  try {
    const out = await runTransform(compiled, request ? eventOf(request.payload) : input.event);
    return {
      url: out.url ?? request?.url ?? null,
      method: out.method ?? request?.method ?? null,
      headers: request || out.headers ? { ...request?.headers, ...out.headers } : null,
      body: out.body,
    };
  } catch (err) {
    if (!(err instanceof TransformError)) throw err;
    return { error: { message: err.message, position: err.position } };
  }
}

async function loggedRequest(db: Db, logId: unknown) {
  if (typeof logId !== "string") throw fieldError("logId", "invalid_type", "must be a delivery id");
  const rs = await db.execute({
    sql: "SELECT url, method, headers, payload FROM _webhook_logs WHERE id = ?",
    args: [logId],
  });
  const r = rs.rows[0];
  if (!r) throw new NotFoundError(`webhook log "${logId}"`);
  return {
    url: String(r.url),
    method: String(r.method),
    headers: JSON.parse(String(r.headers)) as Record<string, string>,
    payload: r.payload === null ? null : String(r.payload),
  };
}
