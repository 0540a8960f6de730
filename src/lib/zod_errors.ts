import type { z } from "zod";
import { validationErrorOf, type ValidationError, type FieldErrors } from "../errors";

/** toValidationError turns zod issues into one ValidationError keyed by field path. */
export function toValidationError(error: z.ZodError, prefix = ""): ValidationError {
  const data: FieldErrors = {};
  for (const issue of error.issues) {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".") || "body";
    data[path] ??= { code: issue.code, message: issue.message };
  }
  return validationErrorOf(data);
}

/** parseWith validates input against a zod schema or throws a ValidationError. */
export function parseWith<T extends z.ZodType>(schema: T, input: unknown, prefix = ""): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw toValidationError(result.error, prefix);
  return result.data;
}
