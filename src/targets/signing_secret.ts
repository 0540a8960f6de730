// Signing secrets in the Standard Webhooks form: "whsec_" + base64 of the key bytes. Pure:
// parsing, formatting and generating, with the rules of docs/delivery.md (24–64 random bytes).
import { z } from "zod";
import { randomBytes } from "node:crypto";
import { fieldError } from "../errors";

const PREFIX = "whsec_";
const MIN_BYTES = 24;
const MAX_BYTES = 64;
// GENERATED_BYTES is the size of the keys hookd makes.
const GENERATED_BYTES = 32;

// DEFAULT_GRACE_SECONDS is how long the old key keeps signing after a rotation, unless told otherwise.
const DEFAULT_GRACE_SECONDS = 86_400;
// MAX_GRACE_SECONDS bounds the grace period (7 days).
const MAX_GRACE_SECONDS = 604_800;

/** generateKey makes a new random key. */
export function generateKey(): Uint8Array {
  return new Uint8Array(randomBytes(GENERATED_BYTES));
}

/** formatSecret shows key bytes as whsec_<base64>. */
export function formatSecret(key: Uint8Array): string {
  return PREFIX + Buffer.from(key).toString("base64");
}

/** secretProblem says what is wrong with a user's secret, or null when it is a valid whsec_ secret. */
export function secretProblem(value: unknown): string | null {
  const expected = `; expected whsec_ followed by the base64 of ${MIN_BYTES} to ${MAX_BYTES} random bytes`;
  if (typeof value !== "string") return `must be a string${expected}`;
  if (!value.startsWith(PREFIX)) return `must start with whsec_${expected}`;
  const b64 = value.slice(PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) return `is not valid base64 after whsec_${expected}`;
  const size = Buffer.from(b64, "base64").length;
  if (size < MIN_BYTES || size > MAX_BYTES) return `decodes to ${size} bytes${expected}`;
  return null;
}

/** parseSecret reads a user's whsec_ secret into key bytes; anything else is a 400 naming `field`. */
export function parseSecret(value: unknown, field: string): Uint8Array {
  const problem = secretProblem(value);
  if (problem) throw fieldError(field, "invalid_secret", problem);
  return new Uint8Array(Buffer.from((value as string).slice(PREFIX.length), "base64"));
}

/** secretField is a signing secret a client gives (whsec_ and base64 of 24-64 bytes), refused saying why. */
export const secretField = z.string({ error: "must be a whsec_ secret" }).superRefine((s, ctx) => {
  const problem = secretProblem(s);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const GRACE = `must be a whole number of seconds from 0 to ${MAX_GRACE_SECONDS} (7 days)`;

/** rotateBody validates a rotate request: an optional new key and how long the old one keeps signing. */
export const rotateBody = z.object({
  key: secretField.nullish().describe("whsec_…; absent: a random key"),
  gracePeriodSeconds: z
    .int({ error: GRACE })
    .min(0, GRACE)
    .max(MAX_GRACE_SECONDS, GRACE)
    .nullish()
    .describe(`How long the old key keeps signing beside the new one (default ${DEFAULT_GRACE_SECONDS})`),
});

/** parseGraceSeconds reads gracePeriodSeconds: absent means the default; 0 drops the old key at once. */
export function parseGraceSeconds(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_GRACE_SECONDS;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_GRACE_SECONDS) {
    throw fieldError("gracePeriodSeconds", "invalid_value", GRACE);
  }
  return value;
}
