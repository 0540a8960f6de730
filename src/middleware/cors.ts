// CORS for the origins in HOOKD_CORS_ORIGINS, and no others: a preflight (OPTIONS with Origin
// and Access-Control-Request-Method) is answered here, before any token is asked for, since
// browsers send it without one; every answer to an allowed origin carries
// Access-Control-Allow-Origin. Other origins get no CORS headers, so their browsers refuse.
import type { Middleware } from "./middleware";

const ALLOW_METHODS = "GET, POST, PATCH, PUT, DELETE, OPTIONS";
const ALLOW_HEADERS = "authorization, content-type, x-api-key, idempotency-key";
const MAX_AGE_SECONDS = "600";

/** cors answers preflights and marks answers for the listed origins (exact `scheme://host[:port]`). */
export function cors(origins: readonly string[]): Middleware {
  const allowed = new Set(origins);
  return (req, next) => {
    const origin = req.headers.get("origin");
    // Not from a browser page: nothing to answer or mark.
    return origin === null ? next() : fromOrigin(req, origin, next);
  };

  async function fromOrigin(req: Request, origin: string, next: () => Promise<Response>): Promise<Response> {
    const isAllowed = allowed.has(origin);
    if (req.method === "OPTIONS" && req.headers.has("access-control-request-method")) {
      const headers = new Headers({ vary: "Origin" });
      if (isAllowed) {
        headers.set("access-control-allow-origin", origin);
        headers.set("access-control-allow-methods", ALLOW_METHODS);
        headers.set("access-control-allow-headers", req.headers.get("access-control-request-headers") ?? ALLOW_HEADERS);
        headers.set("access-control-max-age", MAX_AGE_SECONDS);
      }
      return new Response(null, { status: 204, headers });
    }
    const res = await next();
    if (!isAllowed) return res;
    const marked = new Response(res.body, res);
    marked.headers.set("access-control-allow-origin", origin);
    marked.headers.append("vary", "Origin");
    return marked;
  }
}
