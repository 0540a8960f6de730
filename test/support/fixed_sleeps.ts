// Finds fixed sleeps in test source: Bun.sleep / Bun.sleepSync, or a promise around
// setTimeout(resolve, …), whose length is a constant — a literal, or file-level consts and
// arithmetic on them. A length that depends on a parameter or a variable (a helper's poll
// interval, a receiver told to answer slowly) is not a fixed wait of the test's own.

/** FixedSleep is one constant wait: where, the call as written, and how long. */
export interface FixedSleep {
  line: number;
  text: string;
  ms: number;
}

const CALL = /Bun\.sleep(?:Sync)?\(|setTimeout\(\s*(?:resolve|res|r|done)\s*,/g;
const CONSTANT = /const\s+([A-Za-z_$][\w$]*)\s*=\s*([\w\s.+\-*/()]+?)\s*;/g;

/** fixedSleeps lists the constant waits in one file's source. */
export function fixedSleeps(source: string): FixedSleep[] {
  const constants = new Map<string, number>();
  for (const [, name, expr] of source.matchAll(CONSTANT)) {
    const value = evaluate(expr!, constants);
    if (value !== null) constants.set(name!, value);
  }
  const found: FixedSleep[] = [];
  for (const m of source.matchAll(CALL)) {
    const start = m.index! + m[0].length;
    const arg = argument(source, start);
    const ms = evaluate(arg, constants);
    if (ms === null) continue;
    found.push({
      line: source.slice(0, m.index).split("\n").length,
      text: `${m[0]}${arg})`.replace(/\s+/g, " "),
      ms,
    });
  }
  return found;
}

/** argument reads up to the parenthesis that closes the call. */
function argument(source: string, start: number): string {
  let depth = 0;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === "(") depth++;
    else if (c === ")" && depth-- === 0) return source.slice(start, i).trim();
  }
  return "";
}

/** evaluate computes numbers, known constants, + - * / and parentheses; null for anything else. */
function evaluate(expr: string, constants: Map<string, number>): number | null {
  const numbers = expr.replace(/\d[\d_]*/g, (n) => n.replaceAll("_", "")); // 1_500 → 1500
  const names = numbers.match(/[A-Za-z_$][\w$]*/g) ?? [];
  if (names.some((n) => !constants.has(n))) return null;
  const arithmetic = numbers.replace(/[A-Za-z_$][\w$]*/g, (n) => String(constants.get(n)));
  if (!/^[\d\s.+\-*/()]+$/.test(arithmetic)) return null;
  try {
    const value = Function(`"use strict"; return (${arithmetic});`)() as unknown;
    return typeof value === "number" && Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}
