// What the signed-in key may do (GET /api/keys/self), so screens show no button the server
// would refuse with a 403. The server still checks every call; this only spares the click.
// Same rule as the server: admin covers all, records:read covers records:read:posts.

let held: ReadonlySet<string> = new Set(["admin"]);

/** setScopes records the signed-in caller's scopes. */
export function setScopes(scopes: readonly string[]): void {
  held = new Set(scopes);
}

/** scopesAllow tells whether these scopes cover the needed one; pure, so it is unit-tested. */
export function scopesAllow(scopes: ReadonlySet<string>, needed: string): boolean {
  if (scopes.has("admin") || scopes.has(needed)) return true;
  const base = needed.split(":").slice(0, 2).join(":");
  return base !== needed && scopes.has(base);
}

/** allows tells whether the signed-in caller holds the scope. */
export function allows(needed: string): boolean {
  return scopesAllow(held, needed);
}
