// A small method + path router for fetch handlers; it knows nothing of hookd.

/** RouteContext is what a handler gets: the request, path parameters and parsed URL. */
export interface RouteContext {
  req: Request;
  params: Record<string, string>;
  url: URL;
}

/** Handler answers one matched request. */
export type Handler = (ctx: RouteContext) => Response | Promise<Response>;

interface Route {
  method: string;
  pattern: string;
  parts: string[];
  handler: Handler;
}

/** RouteMatch is a found handler with the pattern it was added under, or why none was found. */
export type RouteMatch =
  | { handler: Handler; params: Record<string, string>; pattern: string }
  | { miss: "not_found" | "method_not_allowed" };

/** Router matches a path to the most specific route: literal segments beat ":name" captures, whatever the order routes were added in. */
export class Router {
  private routes: Route[] = [];

  /** on adds a route for one or more methods. */
  on(methods: string | string[], pattern: string, handler: Handler): this {
    for (const method of [methods].flat())
      this.routes.push({ method, pattern, parts: pattern.split("/").filter(Boolean), handler });
    return this;
  }

  /** match finds the most specific route for the path and method. */
  match(method: string, path: string): RouteMatch {
    const segments = path.split("/").filter(Boolean);
    let pathKnown = false;
    let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
    for (const route of this.routes) {
      const params = matchParts(route.parts, segments);
      if (!params) continue;
      pathKnown = true;
      if (route.method !== method && !(method === "HEAD" && route.method === "GET")) continue;
      const literals = route.parts.filter((p) => !p.startsWith(":")).length;
      if (!best || literals > best.literals) best = { route, params, literals };
    }
    if (best) return { handler: best.route.handler, params: best.params, pattern: best.route.pattern };
    return { miss: pathKnown ? "method_not_allowed" : "not_found" };
  }
}

function matchParts(parts: string[], segments: string[]): Record<string, string> | null {
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    let segment: string;
    try {
      segment = decodeURIComponent(segments[i]!);
    } catch {
      return null;
    }
    if (part.startsWith(":")) params[part.slice(1)] = segment;
    else if (part !== segment) return null;
  }
  return params;
}
