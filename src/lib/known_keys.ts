// Refusing keys nobody reads: a typo such as "feilds" must be a 400 naming it, not a
// silently ignored part of the request.
import { type FieldErrors, ValidationError } from "../errors";

/** unknownKeyProblems names (as prefix.key) every key of input that is not in known; none for a non-object. */
export function unknownKeyProblems(input: unknown, known: ReadonlySet<string>, prefix = ""): FieldErrors {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return {};
  const path = (k: string) => (prefix ? `${prefix}.${k}` : k);
  const message = `is not a known key; expected one of ${[...known].join(", ")}`;
  return Object.fromEntries(
    Object.keys(input)
      .filter((k) => !known.has(k))
      .map((k) => [path(k), { code: "unknown_key", message }]),
  );
}

/** refuseUnknownKeys throws a ValidationError naming (as prefix.key) every key of input that is not in known. */
export function refuseUnknownKeys(input: unknown, known: ReadonlySet<string>, prefix = ""): void {
  const data = unknownKeyProblems(input, known, prefix);
  const unknown = Object.keys(data);
  if (unknown.length > 0) throw new ValidationError(`unknown key(s): ${unknown.join(", ")}`, data);
}
