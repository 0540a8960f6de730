// Reading a route's query parameters: every problem at once, an unknown or repeated parameter
// included, so a misspelt `filter` is a 400 instead of a listing of everything.
import { ValidationError, validationErrorOf, type FieldErrors } from "../errors";
import type { RouteContext } from "../lib/router";
import type { RouteSpec } from "./route_spec";

/** readQuery validates ctx.url's query against the route's spec and answers the values read; throws one ValidationError naming every bad parameter. */
export async function readQuery(spec: RouteSpec, ctx: Omit<RouteContext, "query">): Promise<Record<string, unknown>> {
  const shape = spec.query?.shape ?? {};
  const known = Object.keys(shape);
  const problems: FieldErrors = {};
  const raw: Record<string, string> = {};
  for (const [key, value] of ctx.url.searchParams) {
    if (!Object.hasOwn(shape, key)) {
      problems[key] = {
        code: "unknown_parameter",
        message: known.length
          ? `is not a parameter of this route; expected ${known.join(", ")}`
          : "is not a parameter of this route, which takes none",
      };
    } else if (Object.hasOwn(raw, key)) {
      problems[key] = { code: "repeated_parameter", message: "is given more than once" };
    } else if (value !== "") raw[key] = value; // an empty value is no value: ?status=&page= filters nothing
  }
  const query: Record<string, unknown> = {};
  for (const key of known) {
    if (problems[key]) continue;
    const result = shape[key]!.safeParse(raw[key]);
    if (result.success) {
      if (result.data !== undefined) query[key] = result.data;
    } else {
      problems[key] = { code: "invalid_value", message: `${result.error.issues[0]!.message}, got "${raw[key]}"` };
    }
  }
  // Without parameters there is nothing more to check (and record writes, the hot path, skip the lookup).
  if (spec.checkQuery && Object.keys(raw).length > 0) Object.assign(problems, await spec.checkQuery({ ...ctx, query }));
  if (Object.keys(problems).length > 0) throw validationErrorOf(problems);
  return query;
}

/** problemsOf runs a check that throws a ValidationError and answers its field problems instead. */
export async function problemsOf(check: () => unknown): Promise<FieldErrors> {
  try {
    await check();
    return {};
  } catch (err) {
    if (err instanceof ValidationError) return err.data;
    throw err;
  }
}
