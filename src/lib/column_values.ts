// Reading loosely typed column values (from SQLite rows) into the types code expects.

/** nullableText reads a nullable TEXT column. */
export const nullableText = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** parseHeaders reads a JSON object of headers; anything else counts as none. */
export function parseHeaders(raw: unknown): Record<string, string> {
  try {
    const parsed = JSON.parse(String(raw ?? "{}"));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch {
    return {};
  }
}
