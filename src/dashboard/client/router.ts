// Hash routes: "#/logs?status=failed&log=ID". The screen and its filters live in the URL, so a
// reload or a shared link opens the same view (the token never does: it is not in the URL).

/** Route is the screen name and its parameters. */
export interface Route {
  screen: string;
  params: URLSearchParams;
}

/** parseHash reads a location hash into a route; an empty hash is the overview. */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, "");
  const q = raw.indexOf("?");
  const screen = (q >= 0 ? raw.slice(0, q) : raw) || "overview";
  return { screen, params: new URLSearchParams(q >= 0 ? raw.slice(q + 1) : "") };
}

/** hrefFor builds the hash link of a screen with parameters (empty ones left out). */
export function hrefFor(
  screen: string,
  params: Record<string, string | null | undefined> | URLSearchParams = {},
): string {
  const entries = params instanceof URLSearchParams ? [...params] : Object.entries(params);
  const kept = new URLSearchParams(
    entries.filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""),
  );
  const query = kept.toString();
  return `#/${screen}${query ? `?${query}` : ""}`;
}

/** navigate goes to a screen; `replace` changes the current history entry instead of adding one. */
export function navigate(
  screen: string,
  params: Record<string, string | null | undefined> | URLSearchParams = {},
  replace = false,
): void {
  const href = hrefFor(screen, params);
  if (location.hash === href) return;
  if (replace) {
    history.replaceState(null, "", href);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else location.hash = href;
}
