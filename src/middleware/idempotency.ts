// Idempotency-Key (docs/control.md) on the routes that declare `idempotent`: the first request with a
// key runs and its answer is stored (idempotency_store.ts); the same key with the same request
// answers that again and writes nothing, the same key with another request is a 409. The key
// is taken in the database before the handler runs, so ten concurrent copies run it once, on
// one instance or several; the others wait for its answer.
import type { Access } from "../auth/access";
import type { Db } from "../db/client";
import { AppError, fieldError } from "../errors";
import { readLimited } from "../rest/respond";
import { findAnswer, forgetKey, storeAnswer, takeKey } from "../db/idempotency_store";

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

/** KeyedAnswer is an answer as it is kept and repeated. */
export interface KeyedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** checkIdempotencyKey throws a 400 naming Idempotency-Key unless the key is 1-255 visible ASCII characters. */
export function checkIdempotencyKey(key: string): void {
  if (!KEY_PATTERN.test(key))
    throw fieldError("Idempotency-Key", "invalid_value", "must be 1-255 visible ASCII characters");
}

/**
 * answerOnce runs `run` once per (owner, key) and answers its answer, or the answer a first
 * run with the same fingerprint got (replayed). A run that throws or answers 5xx frees the key.
 */
export async function answerOnce(
  deps: IdempotencyDeps,
  owner: string,
  key: string,
  fingerprint: string,
  run: () => Promise<KeyedAnswer>,
): Promise<{ answer: KeyedAnswer; replayed: boolean }> {
  const deadline = Date.now() + ABANDONED_MS;
  while (true) {
    const now = deps.clock.now();
    if (await takeKey(deps.db, owner, key, fingerprint, now)) break;
    const stored = await findAnswer(deps.db, owner, key, now);
    if (!stored) continue; // expired or freed meanwhile: take it
    if (stored.fingerprint !== fingerprint)
      throw new IdempotencyConflictError(
        `Idempotency-Key "${key}" was used with another request (method, path, query or body); use a new key for a new request`,
      );
    if (stored.status !== null)
      return { answer: { status: stored.status, headers: stored.headers, body: stored.body }, replayed: true };
    if (Date.now() > deadline || now.getTime() - Date.parse(stored.createdAt) > ABANDONED_MS) {
      await forgetKey(deps.db, owner, key, stored.createdAt);
      continue;
    }
    await Bun.sleep(WAIT_STEP_MS);
  }
  let answer: KeyedAnswer;
  try {
    answer = await run();
  } catch (err) {
    // A refused request wrote nothing: the key is free again for a corrected one.
    await forgetKey(deps.db, owner, key);
    throw err;
  }
  if (answer.status >= 500) await forgetKey(deps.db, owner, key);
  else await storeAnswer(deps.db, owner, key, answer);
  return { answer, replayed: false };
}

/** withIdempotency runs a REST handler once per (caller, Idempotency-Key) and answers its answer to repeats. */
export async function withIdempotency(
  deps: IdempotencyDeps,
  req: Request,
  access: Access,
  handle: (req: Request) => Promise<Response> | Response,
): Promise<Response> {
  const key = req.headers.get(IDEMPOTENCY_HEADER);
  if (key === null) return handle(req);
  checkIdempotencyKey(key);
  const body = req.body ? await readLimited(req) : new Uint8Array();
  const url = new URL(req.url);
  const fingerprint = new Bun.CryptoHasher("sha256")
    .update(`${req.method} ${url.pathname}${url.search}\n`)
    .update(body)
    .digest("hex");
  let live: Response | null = null;
  const { answer, replayed } = await answerOnce(deps, access.actor, key, fingerprint, async () => {
    live = await handle(new Request(req, { body: req.body ? (body as BodyInit) : null }));
    const headers: Record<string, string> = {};
    const type = live.headers.get("content-type");
    if (type) headers["content-type"] = type;
    return { status: live.status, headers, body: await live.text() };
  });
  const text = answer.status === 204 ? null : answer.body;
  if (!replayed) return new Response(text, { status: answer.status, headers: (live as Response | null)!.headers });
  return new Response(text, { status: answer.status, headers: { ...answer.headers, [REPLAYED_HEADER]: "true" } });
}
