// The trigger-condition grammar (docs/delivery.md), parsed into a tree and nothing else: no SQL here, so the
// compiler (condition_sql.ts) only ever sees names, numbers and strings it can quote itself.
//   expr    := and ("||" and)*          && binds tighter than ||, as in most languages
//   and     := term ("&&" term)*
//   term    := "(" expr ")" | operand op operand
//   op      := = != > >= < <= ~ !~
//   operand := field | old.field | 'string' | "string" | number | true | false | null
import { ConditionError, tokenize, type Token } from "./condition_tokens";

export { ConditionError } from "./condition_tokens";

/** MAX_CONDITION_LENGTH bounds the text, so the compiled trigger stays small. */
export const MAX_CONDITION_LENGTH = 2000;
/**
 * MAX_CONDITION_DEPTH bounds parenthesis nesting. SQLite's parser stack overflows at about 21
 * levels of alternating && and || groups with the heaviest operands inside a capture
 * trigger; 12 leaves room, and is far more than conditions written by hand need.
 */
export const MAX_CONDITION_DEPTH = 12;

/** Operand is one side of a comparison. */
export type Operand = { pos: number } & (
  | { kind: "field"; name: string; old: boolean }
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "bool"; value: boolean }
  | { kind: "null" }
);

/** CompareOp is a comparison operator of the grammar. */
export type CompareOp = "=" | "!=" | ">" | ">=" | "<" | "<=" | "~" | "!~";

/** Condition is a parsed condition: a comparison, or an and/or of several. */
export type Condition =
  | { kind: "compare"; op: CompareOp; left: Operand; right: Operand }
  | { kind: "and" | "or"; terms: Condition[] };

/** parseCondition parses condition text into a tree or throws a ConditionError with the 1-based character position. */
export function parseCondition(text: string): Condition {
  if (text.length > MAX_CONDITION_LENGTH) {
    throw new ConditionError(`is longer than ${MAX_CONDITION_LENGTH.toLocaleString("en")} characters`, null);
  }
  const parser = new Parser(tokenize(text));
  const tree = parser.expr(0);
  parser.expectEnd();
  return tree;
}

class Parser {
  private i = 0;
  constructor(private tokens: Token[]) {}

  private peek(): Token {
    const t = this.tokens[this.i]!;
    if (t.error) throw t.error;
    return t;
  }

  expr(depth: number): Condition {
    return this.chain("||", "or", () => this.chain("&&", "and", () => this.term(depth)));
  }

  expectEnd(): void {
    if (this.peek().kind !== "end") throw unexpected(this.peek(), "&&, || or the end of the condition");
  }

  private chain(symbol: string, kind: "and" | "or", part: () => Condition): Condition {
    const terms = [part()];
    while (this.peek().kind === "logic" && this.peek().text === symbol) {
      this.i++;
      terms.push(part());
    }
    return terms.length === 1 ? terms[0]! : { kind, terms };
  }

  private term(depth: number): Condition {
    if (this.peek().kind === "lparen") {
      const open = this.peek();
      if (depth >= MAX_CONDITION_DEPTH)
        throw new ConditionError(
          `parentheses are nested deeper than ${MAX_CONDITION_DEPTH} levels at character ${open.pos}`,
          open.pos,
        );
      this.i++;
      const inner = this.expr(depth + 1);
      if (this.peek().kind !== "rparen") throw unexpected(this.peek(), `) to close the ( at character ${open.pos}`);
      this.i++;
      return inner;
    }
    const left = this.operand();
    const opToken = this.peek();
    if (opToken.kind !== "op") throw unexpected(opToken, "an operator (= != > >= < <= ~ !~)");
    this.i++;
    const right = this.operand();
    const op = opToken.text as CompareOp;
    const nullSide = [left, right].find((o) => o.kind === "null");
    if (nullSide && op !== "=" && op !== "!=") {
      throw new ConditionError(
        `null can only be compared with = or != (found ${op} at character ${opToken.pos})`,
        opToken.pos,
      );
    }
    // A quoted name is a string: `"title" = 'x'` would compare two constants and never fire.
    if (left.kind !== "field" && right.kind !== "field") {
      throw new ConditionError(
        `compares two constants at character ${left.pos}; put a field on one side (field names are not quoted)`,
        left.pos,
      );
    }
    return { kind: "compare", op, left, right };
  }

  private operand(): Operand {
    const t = this.peek();
    this.i++;
    switch (t.kind) {
      case "string":
        return { kind: "string", value: t.value as string, pos: t.pos };
      case "number":
        return { kind: "number", value: t.value as number, pos: t.pos };
      case "name":
        if (t.text === "true" || t.text === "false") return { kind: "bool", value: t.text === "true", pos: t.pos };
        if (t.text === "null") return { kind: "null", pos: t.pos };
        if (t.text.startsWith("old.")) return { kind: "field", name: t.text.slice(4), old: true, pos: t.pos };
        if (t.text.includes("."))
          throw new ConditionError(
            `only old.<field> may contain a dot, found "${t.text}" at character ${t.pos}`,
            t.pos,
          );
        return { kind: "field", name: t.text, old: false, pos: t.pos };
      default:
        this.i--;
        throw unexpected(t, "a field, old.<field>, a quoted string, a number, true, false or null");
    }
  }
}

function unexpected(t: Token, expected: string): ConditionError {
  const found = t.kind === "end" ? "the end of the condition" : `"${t.text}"`;
  return new ConditionError(`expected ${expected} at character ${t.pos}, found ${found}`, t.pos);
}
