// What JSONata's guardrails cannot stop: its time limit is checked between evaluation steps, so
// one built-in call runs to its end. Two such calls turned a one-line transform into seconds of
// held event loop: a regular expression that backtracks without end (`/(a+)+$/` on 30 "a"s and
// a "!") and `$pad` to hundreds of millions of characters (25 s and 10 GB for 3e8). Regular
// expressions can only be literals in the expression, so they are judged when it is compiled.
import jsonata from "jsonata";

/** MAX_PAD_WIDTH bounds `$pad`'s width: far past any field a receiver reads, far below a stall. */
export const MAX_PAD_WIDTH = 100_000;

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

/** isJsonataFunction tells a JSONata function value (a lambda or a built-in) from data. */
export function isJsonataFunction(v: unknown): boolean {
  return typeof v === "object" && v !== null && ("_jsonata_lambda" in v || "_jsonata_function" in v);
}

const ORIGINAL_PAD = jsonata("$pad($s, $w, $c)");

/** boundPad replaces `$pad` in an expression by one that refuses a width past MAX_PAD_WIDTH. */
export function boundPad(expression: jsonata.Expression): void {
  expression.registerFunction(
    "pad",
    (s: string | undefined, w: number, c?: string) => {
      if (Math.abs(Math.trunc(w)) > MAX_PAD_WIDTH)
        throw new Error(`$pad: the width ${w} is past the limit of ${MAX_PAD_WIDTH} characters`);
      return ORIGINAL_PAD.evaluate(null, { s, w, c });
    },
    "<s-ns?:s>",
  );
}
