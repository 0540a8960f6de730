// What JSONata's guardrails cannot stop: its time limit is checked between evaluation steps, so
// one built-in call runs to its end. Such calls turned a one-line transform into seconds of
// held event loop or gigabytes: a regular expression that backtracks without end (`/(a+)+$/` on
// 30 "a"s and a "!"), `$pad` to 3e8 characters (25 s, 10 GB), a string doubled 28 times and
// upper-cased (4 s, 2.7 GB), `$string` of 300 copies of an 8 MB string (3 s). Regular
// expressions can only be literals, so they are judged when the expression is compiled; every
// string a step makes is held to MAX_TRANSFORM_CHARS, and what $join, $string and the result
// would make is measured before it is made.
import jsonata from "jsonata";

/** MAX_PAD_WIDTH bounds `$pad`'s width: far past any field a receiver reads, far below a stall. */
export const MAX_PAD_WIDTH = 100_000;
/** MAX_TRANSFORM_CHARS bounds every string a transform makes, and its result as sent (4 times the largest request body). */
export const MAX_TRANSFORM_CHARS = 4 * 1024 * 1024;

/**
 * backtrackingProblem says why a regular expression may backtrack without end, or answers null:
 * a repeated group (`*`, `+`, `{n,}`, `{n,m}`) holding a repetition or an alternative, or a
 * back-reference. It reads the pattern's source; escapes and character classes are skipped.
 */
export function backtrackingProblem(source: string): string | null {
  const groups: { repeats: boolean; alternates: boolean }[] = [];
  const repeatAt = (i: number) => source[i] === "*" || source[i] === "+" || /^\{\d*,\d*\}/.test(source.slice(i));
  const counted = (i: number) => /^\{\d+\}/.test(source.slice(i)) && !/^\{[01]\}/.test(source.slice(i));
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const top = groups[groups.length - 1];
    if (c === "\\") {
      if (/[1-9k]/.test(source[i + 1] ?? "")) return "a back-reference (\\1, \\k<name>) may backtrack without end";
      i++;
    } else if (c === "[") {
      for (i++; i < source.length && source[i] !== "]"; i++) if (source[i] === "\\") i++;
    } else if (c === "(") {
      groups.push({ repeats: false, alternates: false });
    } else if (c === "|") {
      if (top) top.alternates = true;
    } else if (c === ")") {
      const group = groups.pop();
      if (!group) continue;
      const repeated = repeatAt(i + 1) || counted(i + 1);
      if (repeated && (group.repeats || group.alternates))
        return "a repeated group holding a repetition or alternatives, e.g. (a+)+ or (a|aa)*, may backtrack without end; repeat a character class instead ([ab]+)";
      const parent = groups[groups.length - 1];
      if (parent) {
        parent.repeats ||= group.repeats || repeated;
        parent.alternates ||= group.alternates;
      }
    } else if (top && repeatAt(i)) {
      top.repeats = true;
    }
  }
  return null;
}

/**
 * GuardedRegExp is the class JSONata builds each regular expression with when it runs (its
 * RegexEngine option): one that may backtrack without end is refused there too, so a pattern
 * written inside a string given to `$eval` is held to the same rule as a literal.
 */
export class GuardedRegExp extends RegExp {
  constructor(pattern: string | RegExp, flags?: string) {
    const source = typeof pattern === "string" ? pattern : pattern.source;
    const problem = backtrackingProblem(source);
    if (problem) throw new Error(`/${source}/: ${problem}`);
    super(pattern, flags);
  }
}

/** regexProblem finds the first regular expression literal in a compiled expression that may backtrack without end. */
export function regexProblem(ast: unknown): { message: string; position: number | null } | null {
  const seen = new Set<unknown>();
  const walk = (node: unknown): { message: string; position: number | null } | null => {
    if (typeof node !== "object" || node === null || seen.has(node)) return null;
    seen.add(node);
    const n = node as { type?: unknown; value?: unknown; position?: number };
    if (n.type === "regex" && n.value instanceof RegExp) {
      const problem = backtrackingProblem(n.value.source);
      if (problem) return { message: `/${n.value.source}/: ${problem}`, position: n.position ?? null };
    }
    for (const child of Object.values(node)) {
      const found = walk(child);
      if (found) return found;
    }
    return null;
  };
  return walk(ast);
}

/**
 * jsonCharsOver tells whether `value` as JSON (indented by 2 when `pretty`) would pass `limit`
 * characters, stopping as soon as it does; a string counts its length, as it would be written
 * unescaped.
 */
export function jsonCharsOver(value: unknown, limit: number, pretty = false): boolean {
  let chars = 0;
  const add = (n: number) => (chars += n) > limit;
  const walk = (v: unknown, depth: number): boolean => {
    if (depth > MAX_DEPTH) return true; // JSON.stringify would fail on it anyway
    if (pretty && add(depth * 2 + 1)) return true;
    if (typeof v === "string") return add(v.length + 2);
    // A function (JSONata's are objects holding their environment) is written as "" or left out.
    if (typeof v === "function" || isJsonataFunction(v)) return add(2);
    if (Array.isArray(v)) return add(2) || v.some((item) => walk(item, depth + 1) || add(1));
    if (typeof v === "object" && v !== null)
      return add(2) || Object.entries(v).some(([k, item]) => add(k.length + 4) || walk(item, depth + 1));
    return add(24); // a number, true, false or null
  };
  return walk(value, 0);
}

// Deeper than any value a transform reads (request bodies nest at most 100 levels).
const MAX_DEPTH = 1000;

/** isJsonataFunction tells a JSONata function value (a lambda or a built-in) from data. */
export function isJsonataFunction(v: unknown): boolean {
  return typeof v === "object" && v !== null && ("_jsonata_lambda" in v || "_jsonata_function" in v);
}

function tooLarge(what: string): Error {
  return new Error(
    `${what} would be longer than ${MAX_TRANSFORM_CHARS} characters, the limit of a transform's strings`,
  );
}

const ORIGINAL_PAD = jsonata("$pad($s, $w, $c)");
const ORIGINAL_JOIN = jsonata("$join($a, $sep)");
const ORIGINAL_STRING = jsonata("$string($v, $pretty)");

/** boundBuiltins holds an expression's strings to MAX_TRANSFORM_CHARS, and $pad to MAX_PAD_WIDTH, by replacing the built-ins that could pass them in one call. */
export function boundBuiltins(expression: jsonata.Expression): void {
  // Called as each step ends: a string doubled again and again fails at the step that passes the limit, before anything reads it whole.
  expression.assign(Symbol.for("jsonata.__evaluate_exit") as unknown as string, (...args: unknown[]) => {
    const result = args[3];
    if (typeof result === "string" && result.length > MAX_TRANSFORM_CHARS) throw tooLarge("a string");
  });
  expression.registerFunction(
    "pad",
    (s: string | undefined, w: number, c?: string) => {
      if (Math.abs(Math.trunc(w)) > MAX_PAD_WIDTH)
        throw new Error(`$pad: the width ${w} is past the limit of ${MAX_PAD_WIDTH} characters`);
      return ORIGINAL_PAD.evaluate(null, { s, w, c });
    },
    "<s-ns?:s>",
  );
  expression.registerFunction(
    "join",
    (a: string[] | string | undefined, sep?: string) => {
      const items = Array.isArray(a) ? a : [a];
      let chars = (sep?.length ?? 0) * items.length;
      for (const item of items) chars += typeof item === "string" ? item.length : 0;
      if (chars > MAX_TRANSFORM_CHARS) throw tooLarge("$join");
      return ORIGINAL_JOIN.evaluate(null, { a, sep });
    },
    "<a<s>s?:s>",
  );
  expression.registerFunction(
    "string",
    (v: unknown, pretty?: boolean) => {
      if (jsonCharsOver(v, MAX_TRANSFORM_CHARS, pretty === true)) throw tooLarge("$string");
      return ORIGINAL_STRING.evaluate(null, { v, pretty });
    },
    "<x-b?:s>",
  );
}
