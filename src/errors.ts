// One error hierarchy for everything meant to reach a client. REST maps it once
// (rest/respond.ts) and GraphQL once (schema/mask_error.ts); anything else is a bug
// and is masked as a 500 without details.

/** FieldErrors maps a field path to what is wrong with it. */
export type FieldErrors = Record<string, { code: string; message: string }>;

/** AppError is an error whose message, code and status are safe to show a client. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly data: FieldErrors = {},
  ) {
    super(message);
  }

  /** toJSON gives the one error shape, {status, code, message, data} (docs/api.md, Errors). */
  toJSON() {
    return { status: this.status, code: this.code, message: this.message, data: this.data };
  }
}

/** ValidationError is a 400 for input that breaks a rule; data names the fields. */
export class ValidationError extends AppError {
  constructor(message: string, data: FieldErrors = {}) {
    super(400, "VALIDATION", message, data);
  }
}

/** fieldError builds a ValidationError about one field. */
export function fieldError(field: string, code: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, { [field]: { code, message } });
}

/** validationErrorOf makes one ValidationError of several fields' problems, its message naming each. */
export function validationErrorOf(problems: FieldErrors): ValidationError {
  const summary = Object.entries(problems)
    .map(([field, e]) => `${field}: ${e.message}`)
    .join("; ");
  return new ValidationError(summary, problems);
}

/** problemsOfCheck runs a check and answers the field problems of the ValidationError it throws (none when it passes). */
export function problemsOfCheck(check: () => unknown): FieldErrors {
  try {
    check();
    return {};
  } catch (err) {
    if (err instanceof ValidationError) return err.data;
    throw err;
  }
}

/** BadRequestError is a 400 for a request that cannot be read (bad JSON, bad query). */
export class BadRequestError extends AppError {
  constructor(message: string) {
    super(400, "BAD_REQUEST", message);
  }
}

/** UnauthorizedError is a 401 for a missing or unknown token (admin token or API key). */
export class UnauthorizedError extends AppError {
  constructor(
    message = "missing or invalid token (send the admin token or an API key as Authorization: Bearer <token> or X-API-Key)",
  ) {
    super(401, "UNAUTHORIZED", message);
  }
}

/** ForbiddenError is a 403 for a caller whose key lacks the scope a request needs; data.scope names it. */
export class ForbiddenError extends AppError {
  /** With `anyOf`, the request needs one of several scopes; `scope` is the first of them. */
  constructor(
    readonly scope: string,
    anyOf?: readonly string[],
  ) {
    const message = anyOf
      ? `this key holds none of the scopes ${anyOf.map((s) => `"${s}"`).join(", ")}, one of which the request needs`
      : `this key lacks the scope "${scope}" that the request needs`;
    super(403, "FORBIDDEN", message, {
      scope: { code: "missing_scope", message: scope },
    });
  }
}

/** NotFoundError is a 404 naming what was not found. */
export class NotFoundError extends AppError {
  constructor(what: string) {
    super(404, "NOT_FOUND", `${what} not found`);
  }
}

/** ConflictError is a 409: a duplicate name, or an action the current state forbids. */
export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, "CONFLICT", message);
  }
}

/** PayloadTooLargeError is a 413 for bodies over the limit. */
export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(413, "PAYLOAD_TOO_LARGE", `request body is larger than ${limitBytes} bytes`);
  }
}

/** AnswerTooLargeError is a 413 for an answer that grew past HOOKD_MAX_ANSWER_BYTES while it was read. */
export class AnswerTooLargeError extends AppError {
  constructor(limitBytes: number, remedy = "ask for a smaller perPage or fewer fields") {
    const message = `the answer would be larger than ${limitBytes} bytes (HOOKD_MAX_ANSWER_BYTES); ${remedy}`;
    super(413, "ANSWER_TOO_LARGE", message, { perPage: { code: "answer_too_large", message } });
  }
}

/** TooManySubscriptionsError is a 503 for a live subscription past HOOKD_MAX_SUBSCRIPTIONS. */
export class TooManySubscriptionsError extends AppError {
  /** With `perKey`, the caller's key holds its share (a 429); without, the instance is full (a 503). */
  constructor(max: number, perKey?: number) {
    super(
      perKey === undefined ? 503 : 429,
      "TOO_MANY_SUBSCRIPTIONS",
      perKey === undefined
        ? `this instance already serves ${max} live subscriptions (HOOKD_MAX_SUBSCRIPTIONS); close one or try again later`
        : `this key already holds ${perKey} of the ${max} live subscriptions (HOOKD_MAX_SUBSCRIPTIONS), the most one key may hold (a quarter); close one first`,
    );
  }
}

/** UnsupportedMediaTypeError is a 415 for a body that is not JSON. */
export class UnsupportedMediaTypeError extends AppError {
  constructor(got: string) {
    super(415, "UNSUPPORTED_MEDIA_TYPE", `expected Content-Type: application/json, got ${got || "none"}`);
  }
}

/** MethodNotAllowedError is a 405 for a known path with the wrong method. */
export class MethodNotAllowedError extends AppError {
  constructor(method: string, path: string) {
    super(405, "METHOD_NOT_ALLOWED", `${method} is not allowed on ${path}`);
  }
}

/** DatabaseUnavailableError is a 503: the database cannot do what was asked right now (disk full, read-only, unreachable); nothing was written. */
export class DatabaseUnavailableError extends AppError {
  constructor(code: string, message: string) {
    super(503, code, message);
  }
}

/** errorFields describes any thrown value for a log line: message, code and stack, and the same of its cause. */
export function errorFields(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { error: String(err) };
  const fields: Record<string, unknown> = { error: err.message || err.name };
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) fields.code = code;
  // Some native errors' stacks lack the message (libsql's say only "Error at …"), hence both.
  if (err.stack) fields.stack = err.stack;
  if (err.cause !== undefined) fields.cause = errorFields(err.cause);
  return fields;
}
