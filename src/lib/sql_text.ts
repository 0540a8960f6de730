/** quoteIdent quotes an SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** quoteLiteral quotes an SQL string literal. */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** SQL_NOW is SQLite's current time in the same ISO-8601 form as Date.toISOString(). */
export const SQL_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
