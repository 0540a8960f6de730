// Reading JSON bodies and writing JSON answers, including the one error shape.
import { AppError, BadRequestError, fieldError, PayloadTooLargeError, UnsupportedMediaTypeError } from "../errors";
import { deeperThan, MAX_REQUEST_DEPTH } from "../lib/json_depth";

/** MAX_BODY_BYTES is the largest request body accepted. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** json answers a JSON body with a status. */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });
}

/**
 * errorResponse maps any thrown value to the one error shape {status, code, message, data} (docs/api.md);
 * unknown errors become a masked 500.
 * For /graphql (refused before GraphQL runs: 401, 413) it adds `errors` with extensions.code, so
 * GraphQL clients see the error the way they see every other.
 */
export function errorResponse(err: unknown, onUnexpected: (err: unknown) => void, graphql = false): Response {
  if (err instanceof AppError && graphql) {
    return json(
      {
        ...err.toJSON(),
        errors: [{ message: err.message, extensions: { code: err.code, status: err.status, data: err.data } }],
      },
      err.status,
    );
  }
  if (err instanceof AppError) return json(err, err.status);
  onUnexpected(err);
  return json({ status: 500, code: "INTERNAL", message: "internal error; see the server log", data: {} }, 500);
}

/** readJson reads a JSON body: 415 unless it is JSON, 413 over the limit, 400 when malformed or nested too deep. */
export async function readJson(req: Request, { optional = false } = {}): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  const bytes = await readLimited(req);
  if (bytes.length === 0) {
    if (optional) return undefined;
    throw new BadRequestError("the request needs a JSON body");
  }
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(type.trim())) throw new UnsupportedMediaTypeError(type);
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new BadRequestError(`the body is not valid JSON: ${(err as Error).message}`);
  }
  refuseDeepBody(body);
  return body;
}

/** refuseDeepBody throws a 400 naming the top-level key whose value nests past MAX_REQUEST_DEPTH. */
function refuseDeepBody(body: unknown): void {
  const message = `nests arrays/objects more than ${MAX_REQUEST_DEPTH} levels deep`;
  if (typeof body !== "object" || body === null) return;
  if (Array.isArray(body)) {
    if (deeperThan(body, MAX_REQUEST_DEPTH)) throw fieldError("body", "too_deep", message);
    return;
  }
  for (const [key, value] of Object.entries(body)) {
    if (deeperThan(value, MAX_REQUEST_DEPTH - 1)) throw fieldError(key, "too_deep", message);
  }
}

/** readLimited reads the whole body, refusing it with 413 as soon as it passes MAX_BODY_BYTES. */
export async function readLimited(req: Request): Promise<Uint8Array> {
  if (!req.body) return new Uint8Array();
  // With a declared length under the limit (the server holds the body to it), read it whole:
  // iterating the stream cost about as much CPU as handling the request.
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) <= MAX_BODY_BYTES) return new Uint8Array(await req.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req.body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** requireObject checks that a body is a JSON object and names it otherwise. */
export function requireObject(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new BadRequestError("the body must be a JSON object");
  return body as Record<string, unknown>;
}
