// Rules for text that hookd stores or sends, with no knowledge of hookd.

/**
 * storableTextProblem says why s would not read back from SQLite exactly as given, or answers
 * null: SQLite text is cut at U+0000, and a lone UTF-16 surrogate becomes U+FFFD in UTF-8.
 */
export function storableTextProblem(s: string): string | null {
  if (s.includes("\u0000")) return "may not contain the NUL character (U+0000)";
  if (!s.isWellFormed()) return "must be well-formed Unicode (a lone surrogate such as \\ud800 cannot be stored)";
  return null;
}

/** storableText is a zod superRefine check that reports storableTextProblem. */
export function storableText(s: string, ctx: { addIssue(issue: { code: "custom"; message: string }): void }): void {
  const problem = storableTextProblem(s);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
}

/**
 * isSendableHeaderValue tells whether s is sent as an HTTP header value exactly as given:
 * printable ASCII and tabs, with no leading or trailing space (HTTP clients strip those).
 */
export function isSendableHeaderValue(s: string): boolean {
  return /^[\t\x20-\x7e]*$/.test(s) && s.trim() === s;
}

/** HEADER_NAME is RFC 9110's token: the characters an HTTP header name may have. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
