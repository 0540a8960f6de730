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

/** parseWith validates input against a zod schema or throws one ValidationError with every problem, `also` (found before, such as unknown keys) included. */
export function parseWith<T extends z.ZodType>(
  schema: T,
  input: unknown,
  prefix = "",
  also: FieldErrors = {},
): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationErrorOf({ ...also, ...toValidationError(result.error, prefix).data });
  if (Object.keys(also).length > 0) throw validationErrorOf(also);
  return result.data;
}
