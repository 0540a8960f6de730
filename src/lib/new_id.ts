/** newId makes a random 16-hex-digit id, the same form the SQL defaults of hookd's tables produce. */
export function newId(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 16);
}
