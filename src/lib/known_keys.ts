// Refusing keys nobody reads: a typo such as "feilds" must be a 400 naming it, not a
// silently ignored part of the request.
import { ValidationError } from "../errors";

/** refuseUnknownKeys throws a ValidationError naming (as prefix.key) every key of input that is not in known. */
export function refuseUnknownKeys(input: unknown, known: ReadonlySet<string>, prefix = ""): void {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return;
  const unknown = Object.keys(input).filter((k) => !known.has(k));
  if (unknown.length === 0) return;
  const path = (k: string) => (prefix ? `${prefix}.${k}` : k);
  const data = Object.fromEntries(
    unknown.map((k) => [
      path(k),
      { code: "unknown_key", message: `is not a known key; expected one of ${[...known].join(", ")}` },
    ]),
  );
  throw new ValidationError(`unknown key(s): ${unknown.map(path).join(", ")}`, data);
}
