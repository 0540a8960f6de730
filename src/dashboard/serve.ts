// Serves the dashboard at /_/: the page (never cached, so a new release is picked up at once)
// and its hashed assets (cached for a year: a changed file gets a new name). The files hold
// no data, so they are public; every API call the page makes needs the admin token.
import type { ClientFile } from "./bundle_client";

/** DASHBOARD_PREFIX is where the dashboard lives. */
export const DASHBOARD_PREFIX = "/_/";

// Nothing from another origin, no inline script or style, no framing, no plugins.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const COMMON_HEADERS = {
  "content-security-policy": CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

/** isDashboardPath tells whether a path belongs to the dashboard (including the bare /_). */
export function isDashboardPath(path: string): boolean {
  return path === "/_" || path.startsWith(DASHBOARD_PREFIX);
}

/** serveDashboard answers a GET or HEAD under /_/ from the bundled files. */
export async function serveDashboard(
  req: Request,
  path: string,
  loadFiles: () => Promise<ClientFile[]>,
): Promise<Response> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    return new Response("method not allowed\n", {
      status: 405,
      headers: { ...COMMON_HEADERS, allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" },
    });
  }
  if (path === "/_")
    return new Response(null, { status: 308, headers: { ...COMMON_HEADERS, location: DASHBOARD_PREFIX } });
  const files = await loadFiles();
  const name = path.slice(DASHBOARD_PREFIX.length) || "index.html";
  const file = files.find((f) => f.path === name);
  if (!file)
    return new Response("not found\n", {
      status: 404,
      headers: { ...COMMON_HEADERS, "content-type": "text/plain; charset=utf-8" },
    });
  const cache = file.path.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache";
  const headers = { ...COMMON_HEADERS, "content-type": file.type, "cache-control": cache };
  return new Response(req.method === "HEAD" ? null : file.text, { headers });
}
