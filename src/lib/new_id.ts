/** newId makes a random id of 16 hex digits. */
export function newId(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 16);
}
