// The admin token lives in sessionStorage: it survives a reload of this tab, is gone when the
// tab closes, never goes into a URL or cookie, and is sent only as an Authorization header.
const KEY = "hookd.adminToken";

/** getToken answers the signed-in token, or null. */
export function getToken(): string | null {
  return sessionStorage.getItem(KEY);
}

/** setToken signs in with a token. */
export function setToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

/** clearToken signs out. */
export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}
