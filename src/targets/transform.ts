// Transformations (docs/control.md): a target's JSONata expression turns the event it would send
// into the request it sends. JSONata (the `jsonata` package) is a sandboxed expression
// language: it reads the input and builds values, it cannot reach the process, the network or
// the file system. Its own guardrails bound each evaluation: TIME_LIMIT_MS of wall time, a
// stack depth and a sequence length, so an expression that loops fails its attempt instead of
// holding a delivery slot.
import jsonata from "jsonata";
import {
  boundBuiltins,
  GuardedRegExp,
  isJsonataFunction,
  jsonCharsOver,
  MAX_TRANSFORM_CHARS,
  regexProblem,
} from "./transform_bounds";

/** TIME_LIMIT_MS bounds one evaluation. */
export const TIME_LIMIT_MS = 50;
/** MAX_TRANSFORM_LENGTH bounds the expression's text. */
export const MAX_TRANSFORM_LENGTH = 10_000;
// RegexEngine is JSONata's option for the class regular expressions are built with at run time.
const GUARDRAILS = {
  timeout: TIME_LIMIT_MS,
  stack: 200,
  sequence: 100_000,
  RegexEngine: GuardedRegExp as unknown as RegExpConstructor,
};

/** Transform is a compiled expression, reusable by any number of evaluations at once. */
export type Transform = jsonata.Expression;

/** TransformedRequest is what a transform decided: the body always, the rest only through `$request`. */
export interface TransformedRequest {
  body: string | null;
  url?: string;
  method?: string;
  headers?: Record<string, string>;
}

/** TransformError is a syntax or run-time error with the position in the expression where it arose. */
export class TransformError extends Error {
  constructor(
    message: string,
    readonly position: number | null,
  ) {
    super(position === null ? message : `at position ${position}: ${message}`);
  }
}

function asTransformError(err: unknown): TransformError {
  if (err instanceof TransformError) return err;
  const e = err as { message?: string; code?: string; position?: number };
  const message = e.message ?? String(err);
  return new TransformError(e.code ? `${message} (${e.code})` : message, e.position ?? null);
}

/** compileTransform parses an expression or throws a TransformError with the position of the syntax error (or of a regular expression that may backtrack without end). */
export function compileTransform(expression: string): Transform {
  let compiled: Transform;
  try {
    compiled = jsonata(expression, GUARDRAILS);
  } catch (err) {
    throw asTransformError(err);
  }
  const problem = regexProblem(compiled.ast());
  if (problem) throw new TransformError(problem.message, problem.position);
  boundBuiltins(compiled);
  return compiled;
}

/** transformProblem says why an expression cannot be used (with the position), or answers null. */
export function transformProblem(expression: string): string | null {
  if (expression.length > MAX_TRANSFORM_LENGTH) return `at most ${MAX_TRANSFORM_LENGTH} characters`;
  try {
    compileTransform(expression);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** runTransform evaluates over the event and reads the result as docs/control.md says, or throws a TransformError. */
export async function runTransform(transform: Transform, event: unknown): Promise<TransformedRequest> {
  let result: unknown;
  try {
    result = await transform.evaluate(event);
  } catch (err) {
    throw asTransformError(err);
  }
  // Measured before it is written as JSON: 300 references to one large string are small in memory, not as text.
  if (jsonCharsOver(result, MAX_TRANSFORM_CHARS))
    throw new TransformError(`the result would be longer than ${MAX_TRANSFORM_CHARS} characters`, null);
  if (isObject(result) && "$request" in result) return requestOverride(result.$request);
  return { body: encode(result) };
}

function requestOverride(spec: unknown): TransformedRequest {
  if (!isObject(spec)) throw new TransformError("$request must be an object {url?, method?, headers?, body}", null);
  const out: TransformedRequest = { body: encode(spec.body) };
  if (spec.url !== undefined) {
    if (typeof spec.url !== "string" || !/^https?:\/\/[^/]/i.test(spec.url))
      throw new TransformError("$request.url must be an http:// or https:// URL", null);
    out.url = spec.url;
  }
  if (spec.method !== undefined) {
    if (typeof spec.method !== "string" || !/^[A-Za-z]+$/.test(spec.method))
      throw new TransformError("$request.method must be an HTTP method", null);
    out.method = spec.method.toUpperCase();
  }
  if (spec.headers !== undefined) {
    if (!isObject(spec.headers) || Object.values(spec.headers).some((v) => typeof v !== "string"))
      throw new TransformError("$request.headers must be an object of strings", null);
    out.headers = spec.headers as Record<string, string>;
  }
  return out;
}

// A string is sent as it is; nothing (undefined) sends no body; anything else as JSON.
function encode(value: unknown): string | null {
  if (value === undefined) return null;
  // A function in the result is written as "", as $string writes it (its object holds its environment, cyclic).
  return typeof value === "string" ? value : JSON.stringify(value, (_k, v) => (isJsonataFunction(v) ? "" : v));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
