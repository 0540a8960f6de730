// Idempotency-Key for GraphQL mutations (docs/control.md): the `idempotencyKey` argument does what
// the header does in REST, with the same store, owner and 24 h: the same key and arguments
// answer the first result again, other arguments under the key are a 409.
import { answerOnce, checkIdempotencyKey } from "../middleware/idempotency";
import type { GraphQLContext } from "./builder";

/** IDEMPOTENCY_KEY_DESCRIPTION documents the argument on each mutation that takes it. */
export const IDEMPOTENCY_KEY_DESCRIPTION =
  "Runs the mutation once per key (kept 24 h): the same key with the same arguments answers the first result again; other arguments are a 409";

/** onceForKey runs `run` once per (caller, key, mutation) when a key is given, else just runs it. */
export async function onceForKey<T>(
  ctx: GraphQLContext,
  key: string | null | undefined,
  mutation: string,
  args: Record<string, unknown>,
  run: () => Promise<T>,
): Promise<T> {
  if (key === null || key === undefined) return run();
  checkIdempotencyKey(key);
  const fingerprint = new Bun.CryptoHasher("sha256")
    .update(`graphql ${mutation}\n${JSON.stringify(args)}`)
    .digest("hex");
  const { answer } = await answerOnce(ctx, ctx.access.actor, key, fingerprint, async () => ({
    status: 200,
    headers: {},
    body: JSON.stringify(await run()),
  }));
  return JSON.parse(answer.body) as T;
}
