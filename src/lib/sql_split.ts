// Splitting a script into SQL statements, so each can run in one batch (one transaction) and
// report its own changed rows. It knows SQLite's quoting, comments and CREATE TRIGGER bodies.

const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;

/** splitSqlStatements cuts a script at the semicolons that end statements; comment-only pieces are dropped. */
export function splitSqlStatements(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let tokens: string[] = []; // the current statement's words (upper-cased), literals and inner ";"
  let i = 0;
  const finish = (end: number) => {
    if (tokens.length > 0) statements.push(script.slice(start, end).trim());
    start = end + 1;
    tokens = [];
  };
  while (i < script.length) {
    const c = script[i]!;
    const next = script[i + 1];
    if (c === "-" && next === "-") {
      i = after(script, "\n", i);
    } else if (c === "/" && next === "*") {
      i = after(script, "*/", i + 2);
    } else if (c === "'" || c === '"' || c === "`" || c === "[") {
      i = c === "[" ? after(script, "]", i + 1) : afterQuoted(script, i, c);
      tokens.push("literal");
    } else if (c === ";") {
      // Inside CREATE TRIGGER … BEGIN … END the body's own statements end with ";" too;
      // like sqlite3_complete, only "; END ;" closes the trigger.
      if (!isTrigger(tokens) || (tokens.at(-1) === "END" && tokens.at(-2) === ";")) finish(i);
      else tokens.push(";");
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      WORD.lastIndex = i;
      const word = WORD.exec(script)![0];
      tokens.push(word.toUpperCase());
      i += word.length;
    } else {
      if (!/\s/.test(c)) tokens.push(c);
      i++;
    }
  }
  finish(script.length);
  return statements;
}

function isTrigger(tokens: string[]): boolean {
  if (tokens[0] !== "CREATE") return false;
  return tokens[1] === "TRIGGER" || ((tokens[1] === "TEMP" || tokens[1] === "TEMPORARY") && tokens[2] === "TRIGGER");
}

/** afterQuoted answers the index after a quoted literal that starts at `open`; a doubled quote is an escaped one. */
function afterQuoted(script: string, open: number, quote: string): number {
  let i = open + 1;
  for (;;) {
    const close = script.indexOf(quote, i);
    if (close < 0) return script.length;
    if (script[close + 1] !== quote) return close + 1;
    i = close + 2;
  }
}

function after(script: string, token: string, from: number): number {
  const at = script.indexOf(token, from);
  return at < 0 ? script.length : at + token.length;
}
