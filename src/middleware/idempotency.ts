// Idempotency-Key (SPEC §14) on the routes that declare `idempotent`: the first request with a
// key runs and its answer is stored (idempotency_store.ts); the same key with the same request
// answers that again and writes nothing, the same key with another request is a 409. The key
// is taken in the database before the handler runs, so ten concurrent copies run it once, on
// one instance or several; the others wait for its answer.
import type { Access } from "../auth/access";
import type { Db } from "../db/client";
import { AppError, fieldError } from "../errors";
import { readLimited } from "../rest/respond";
import { findAnswer, forgetKey, storeAnswer, takeKey, type StoredAnswer } from "./idempotency_store";

/** IDEMPOTENCY_HEADER names the header; keys are 1-255 visible ASCII characters. */
export const IDEMPOTENCY_HEADER = "idempotency-key";
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** REPLAYED_HEADER marks an answer repeated from the first request with the key. */
export const REPLAYED_HEADER = "idempotent-replayed";
/** A key still running this long after it was taken is taken to be abandoned (its instance died mid-request). */
const ABANDONED_MS = 60_000;
const WAIT_STEP_MS = 20;

/** IdempotencyConflictError is a 409: the key was used with another request, or is still running past the wait. */
export class IdempotencyConflictError extends AppError {
  constructor(message: string) {
    super(409, "IDEMPOTENCY_CONFLICT", message);
  }
}

interface IdempotencyDeps {
  db: Db;
  clock: { now(): Date };
}

/** withIdempotency runs `handle` once per (caller, Idempotency-Key) and answers its stored answer to repeats. */
export async function withIdempotency(
  deps: IdempotencyDeps,
  req: Request,
  access: Access,
  handle: (req: Request) => Promise<Response> | Response,
): Promise<Response> {
  const key = req.headers.get(IDEMPOTENCY_HEADER);
  if (key === null) return handle(req);
  if (!KEY_PATTERN.test(key))
    throw fieldError("Idempotency-Key", "invalid_value", "must be 1-255 visible ASCII characters");
  const body = req.body ? await readLimited(req) : new Uint8Array();
  const url = new URL(req.url);
  const fingerprint = new Bun.CryptoHasher("sha256")
    .update(`${req.method} ${url.pathname}${url.search}\n`)
    .update(body)
    .digest("hex");
  const owner = access.actor;
  const deadline = Date.now() + ABANDONED_MS;
  while (true) {
    const now = deps.clock.now();
    if (await takeKey(deps.db, owner, key, fingerprint, now)) break;
    const stored = await findAnswer(deps.db, owner, key, now);
    if (!stored) continue; // expired or forgotten meanwhile: take it
    if (stored.fingerprint !== fingerprint)
      throw new IdempotencyConflictError(
        `Idempotency-Key "${key}" was used with another request (method, path, query or body); use a new key for a new request`,
      );
    if (stored.status !== null) return replay(stored);
    if (Date.now() > deadline || now.getTime() - Date.parse(stored.createdAt) > ABANDONED_MS) {
      await forgetKey(deps.db, owner, key, stored.createdAt);
      continue;
    }
    await Bun.sleep(WAIT_STEP_MS);
  }
  let res: Response;
  try {
    res = await handle(new Request(req, { body: req.body ? (body as BodyInit) : null }));
  } catch (err) {
    // A refused request wrote nothing: the key is free again for a corrected one.
    await forgetKey(deps.db, owner, key);
    throw err;
  }
  if (res.status >= 500) {
    await forgetKey(deps.db, owner, key);
    return res;
  }
  const text = await res.text();
  const headers: Record<string, string> = {};
  const type = res.headers.get("content-type");
  if (type) headers["content-type"] = type;
  await storeAnswer(deps.db, owner, key, { status: res.status, headers, body: text });
  return new Response(res.status === 204 ? null : text, { status: res.status, headers: res.headers });
}

function replay(stored: StoredAnswer): Response {
  return new Response(stored.status === 204 ? null : stored.body, {
    status: stored.status!,
    headers: { ...stored.headers, [REPLAYED_HEADER]: "true" },
  });
}
