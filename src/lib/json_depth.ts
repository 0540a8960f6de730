// How deeply a parsed JSON value nests, measured without recursion: a value nested
// 100,000 deep must be measured and refused, not overflow the stack (JSON.stringify and
// zod both recurse).

/** jsonDepth answers how many arrays and objects nest in value (a scalar is 0), counting no further than stopAt + 1. */
export function jsonDepth(value: unknown, stopAt = Number.MAX_SAFE_INTEGER): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > stopAt) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === "object" && child !== null) stack.push([child, here]);
    }
  }
  return deepest;
}

/** deeperThan tells whether value nests more than limit arrays and objects. */
export function deeperThan(value: unknown, limit: number): boolean {
  return jsonDepth(value, limit) > limit;
}

/**
 * MAX_JSON_DEPTH bounds the JSON values hookd stores and sends (record json fields, bodies,
 * options). SQLite's json functions stop at 1,000 levels: a deeper value would be answered as
 * an object by the API but land in a webhook payload as a string. 100 leaves room for the
 * payload's own wrapping and is far beyond what real documents use.
 */
export const MAX_JSON_DEPTH = 100;

/** TOO_DEEP_MESSAGE is the one wording of a too-deep refusal. */
export const TOO_DEEP_MESSAGE = `nests arrays/objects more than ${MAX_JSON_DEPTH} levels deep (the limit for JSON values)`;

/**
 * MAX_REQUEST_DEPTH bounds a whole request's JSON (a REST body, a GraphQL JSON argument). It
 * wraps the values it carries (a record in `data`, headers in a trigger in `options`), so it may
 * nest a little deeper than one value; past this it is refused before code that recurses sees it.
 */
export const MAX_REQUEST_DEPTH = MAX_JSON_DEPTH + 10;
