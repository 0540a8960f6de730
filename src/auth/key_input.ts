// Turns a POST /api/keys body (REST or GraphQL) into a validated key request.
import { z } from "zod";
import { unknownKeyProblems } from "../lib/known_keys";
import { storableText } from "../lib/text_rules";
import { parseWith } from "../lib/zod_errors";
import { scopeProblem } from "./scopes";

/** KeyRequest is what a new key is made from. */
export interface KeyRequest {
  name: string;
  scopes: string[];
  expiresAt: string | null;
}

const scopeField = z.string({ error: "must be a scope string" }).superRefine((s, ctx) => {
  const problem = scopeProblem(s);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** keyRequestBody is the body of POST /api/keys. */
export const keyRequestBody = z.object({
  name: z
    .string({ error: "is required and must be a string" })
    .trim()
    .min(1, "must not be empty")
    .max(200, "must be at most 200 characters")
    .superRefine(storableText),
  scopes: z
    .array(scopeField, { error: "is required and must be a list of scopes" })
    .min(1, "must hold at least one scope")
    .max(100, "at most 100 scopes"),
  expiresAt: z
    .string({ error: "must be an ISO-8601 time" })
    .refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO-8601 time such as 2027-01-01T00:00:00Z")
    .nullish(),
});

const KEYS = new Set(Object.keys(keyRequestBody.shape));

/** parseKeyRequest validates a key request; `now` refuses an expiry already past. Scopes are kept once each, sorted. */
export function parseKeyRequest(input: unknown, now: Date): KeyRequest {
  const parsed = parseWith(
    keyRequestBody.refine((k) => !k.expiresAt || Date.parse(k.expiresAt) > now.getTime(), {
      path: ["expiresAt"],
      message: "must be in the future",
    }),
    input,
    "",
    unknownKeyProblems(input, KEYS), // reported with the other problems
  );
  return {
    name: parsed.name,
    scopes: [...new Set(parsed.scopes)].sort(),
    expiresAt: parsed.expiresAt ? new Date(parsed.expiresAt).toISOString() : null,
  };
}
