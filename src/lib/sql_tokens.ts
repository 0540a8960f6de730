// A SQLite tokenizer for checking SQL before it runs: it knows string literals, the four
// identifier quotings ("x", `x`, [x], and 'x' where SQLite accepts a string as a name),
// comments, blobs, numbers and parameters, so a check never mistakes text for code.

/** SqlToken is one token: a word (bare identifier or keyword), a quoted identifier, a string, or punctuation. */
export interface SqlToken {
  kind: "word" | "quoted" | "string" | "number" | "blob" | "param" | "punct";
  /** text is the token's value: identifiers and strings unquoted, words as written. */
  text: string;
}

const WORD = /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/y;
const NUMBER = /(0[xX][0-9A-Fa-f]+|(\d[\d_]*)?\.?\d[\d_]*([eE][+-]?\d+)?)/y;
const PARAM = /[?:@$][A-Za-z0-9_]*/y;

/** tokenizeSql splits SQL into tokens, skipping whitespace and comments; an unclosed quote or comment throws. */
export function tokenizeSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      if (end < 0) throw new SyntaxError("a /* comment is not closed");
      i = end + 2;
    } else if ((c === "x" || c === "X") && next === "'") {
      const [text, end] = quoted(sql, i + 1, "'");
      tokens.push({ kind: "blob", text });
      i = end;
    } else if (c === "'" || c === '"' || c === "`") {
      const [text, end] = quoted(sql, i, c);
      tokens.push({ kind: c === "'" ? "string" : "quoted", text });
      i = end;
    } else if (c === "[") {
      const end = sql.indexOf("]", i);
      if (end < 0) throw new SyntaxError("a [quoted] name is not closed");
      tokens.push({ kind: "quoted", text: sql.slice(i + 1, end) });
      i = end + 1;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      i = push(tokens, "word", WORD, sql, i);
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(next ?? ""))) {
      i = push(tokens, "number", NUMBER, sql, i);
    } else if (c === "?" || c === ":" || c === "@" || c === "$") {
      i = push(tokens, "param", PARAM, sql, i);
    } else {
      // Two-character operators are kept whole so "->" and "||" read as one token.
      const two = sql.slice(i, i + 2);
      const op = ["->", "||", "<=", ">=", "==", "!=", "<>", "<<", ">>"].includes(two)
        ? sql.slice(i, i + 3) === "->>"
          ? "->>"
          : two
        : c;
      tokens.push({ kind: "punct", text: op });
      i += op.length;
    }
  }
  return tokens;
}

function push(tokens: SqlToken[], kind: SqlToken["kind"], re: RegExp, sql: string, at: number): number {
  re.lastIndex = at;
  const text = re.exec(sql)?.[0] || sql[at]!;
  tokens.push({ kind, text });
  return at + text.length;
}

/** quoted reads a quoted token starting at `open`; a doubled quote is an escaped one. */
function quoted(sql: string, open: number, quote: string): [string, number] {
  let text = "";
  let i = open + 1;
  for (;;) {
    const close = sql.indexOf(quote, i);
    if (close < 0) throw new SyntaxError(`a ${quote}quoted${quote} text is not closed`);
    text += sql.slice(i, close);
    if (sql[close + 1] !== quote) return [text, close + 1];
    text += quote;
    i = close + 2;
  }
}
