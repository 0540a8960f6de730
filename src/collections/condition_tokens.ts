// Splits condition text into tokens. Positions are 1-based characters, as a person counts
// them when reading the error message against what they typed.

/** ConditionError is a condition that cannot be used; position is the 1-based character it is about, when there is one. */
export class ConditionError extends Error {
  constructor(
    message: string,
    readonly position: number | null,
  ) {
    super(message);
  }
}

/** Token is one lexical unit; value holds a string literal's text or a number's value; error is where reading stopped. */
export interface Token {
  kind: "lparen" | "rparen" | "logic" | "op" | "string" | "number" | "name" | "end";
  text: string;
  pos: number;
  value?: string | number;
  error?: ConditionError;
}

// Longest first, so "!=" is not read as "!" and "=".
const SYMBOLS: [string, Token["kind"]][] = [
  ["&&", "logic"],
  ["||", "logic"],
  ["!=", "op"],
  ["!~", "op"],
  [">=", "op"],
  ["<=", "op"],
  ["=", "op"],
  [">", "op"],
  ["<", "op"],
  ["~", "op"],
  ["(", "lparen"],
  [")", "rparen"],
];
const NAME = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SPACE = /\s+/y;

/**
 * heldExactly tells whether a literal means the same decimal as the double it reads as, printed
 * the shortest way (as records are answered): 0.1 and 0.30000000000000004 pass,
 * 9007199254740993 (read as …992) does not. Compared as digits and exponent, leading and
 * trailing zeros dropped.
 */
function heldExactly(literal: string, value: number): boolean {
  return decimalKey(literal) === decimalKey(String(value));
}

function decimalKey(text: string): string {
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!m) return text;
  const [, sign, whole = "", fraction = "", exp = "0"] = m;
  const digits = whole + fraction;
  const lead = digits.length - digits.replace(/^0+/, "").length;
  const significant = digits.replace(/^0+/, "").replace(/0+$/, "");
  if (significant === "") return "0";
  // The exponent of the first significant digit, so 1.5, 15e-1 and 0.15e1 compare equal.
  const exponent = Number(exp) + whole.length - lead - 1;
  return `${sign}${significant}e${exponent}`;
}

/**
 * tokenize reads the text into tokens ending with an "end" token. Unreadable text ends the
 * list early with the error on the end token, so the parser reports whichever problem comes
 * first in the text.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  try {
    readTokens(text, tokens);
  } catch (err) {
    if (!(err instanceof ConditionError)) throw err;
    tokens.push({ kind: "end", text: "", pos: err.position ?? 1, error: err });
    return tokens;
  }
  tokens.push({ kind: "end", text: "", pos: text.length + 1 });
  return tokens;
}

function readTokens(text: string, tokens: Token[]): void {
  let i = 0;
  while (true) {
    SPACE.lastIndex = i;
    if (SPACE.test(text)) i = SPACE.lastIndex;
    if (i >= text.length) break;
    const pos = i + 1;
    const symbol = SYMBOLS.find(([s]) => text.startsWith(s, i));
    if (symbol) {
      tokens.push({ kind: symbol[1], text: symbol[0], pos });
      i += symbol[0].length;
      continue;
    }
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const { value, end } = readString(text, i);
      tokens.push({ kind: "string", text: text.slice(i, end), pos, value });
      i = end;
      continue;
    }
    const number = match(NUMBER, text, i);
    if (number) {
      const value = Number(number);
      if (!Number.isFinite(value))
        throw new ConditionError(`the number ${number} at character ${pos} is too large`, pos);
      if (!heldExactly(number, value))
        throw new ConditionError(
          `the number ${number} at character ${pos} cannot be held exactly by a number field (it would read as ${value})`,
          pos,
        );
      tokens.push({ kind: "number", text: number, pos, value });
      i += number.length;
      continue;
    }
    const name = match(NAME, text, i);
    if (name) {
      if (text[i + name.length] === ".")
        throw new ConditionError(
          `expected a field name after "${name}." at character ${pos + name.length + 1}`,
          pos + name.length + 1,
        );
      tokens.push({ kind: "name", text: name, pos });
      i += name.length;
      continue;
    }
    throw new ConditionError(`unexpected character ${JSON.stringify(c)} at character ${pos}`, pos);
  }
}

function match(re: RegExp, text: string, at: number): string | null {
  re.lastIndex = at;
  const m = re.exec(text);
  return m ? m[0] : null;
}

// A backslash takes the next character as it is, so 'it\'s' and "say \"hi\"" work.
function readString(text: string, start: number): { value: string; end: number } {
  const quote = text[start]!;
  let value = "";
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === quote) return { value, end: i + 1 };
    if (c === "\0") throw new ConditionError(`a NUL character is not allowed (character ${i + 1})`, i + 1);
    if (c === "\\" && i + 1 < text.length) value += text[++i];
    else value += c;
  }
  throw new ConditionError(`the string starting at character ${start + 1} is not closed with ${quote}`, start + 1);
}
