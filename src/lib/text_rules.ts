// Rules for text that hookd stores or sends, with no knowledge of hookd.

/** hasNul tells whether s holds U+0000, which SQLite text reads back cut at that point. */
export function hasNul(s: string): boolean {
  return s.includes("\u0000");
}

/** isSendableHeaderValue tells whether s can be sent as an HTTP header value as is: printable ASCII and tabs. */
export function isSendableHeaderValue(s: string): boolean {
  return /^[\t\x20-\x7e]*$/.test(s);
}

/** HEADER_NAME is RFC 9110's token: the characters an HTTP header name may have. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
