// A small method + path router for fetch handlers; it knows nothing of hookd.

/** RouteContext is what a handler gets: the request, path parameters, parsed URL and the query its caller validated. */
export interface RouteContext {
  req: Request;
  params: Record<string, string>;
  url: URL;
  // biome-ignore lint/suspicious/noExplicitAny: the route's own query schema gives it its shape
  query: Record<string, any>;
}

/** Handler answers one matched request; an app may hand its handlers more than RouteContext (Ctx). */
export type Handler<Ctx extends RouteContext = RouteContext> = (ctx: Ctx) => Response | Promise<Response>;

/** Route is one method and pattern with its handler and whatever the caller declared about it (meta). */
export interface Route<M, Ctx extends RouteContext = RouteContext> {
  method: string;
  pattern: string;
  parts: string[];
  meta: M;
  handler: Handler<Ctx>;
}

/** RouteMatch is a found handler with the pattern and meta it was added under, or why none was found. */
export type RouteMatch<M, Ctx extends RouteContext = RouteContext> =
  | { handler: Handler<Ctx>; params: Record<string, string>; pattern: string; meta: M }
  | { miss: "not_found" | "method_not_allowed" };

/**
 * Router matches a path to the most specific route: literal segments beat ":name" captures,
 * whatever the order routes were added in. Each route carries a meta of the caller's type
 * (hookd's: what the route reads and answers), handed back on a match and listed by routes().
 */
export class Router<M = undefined, Ctx extends RouteContext = RouteContext> {
  private list: Route<M, Ctx>[] = [];

  /** on adds a route for one or more methods. */
  on(methods: string | string[], pattern: string, meta: M, handler: Handler<Ctx>): this {
    for (const method of [methods].flat())
      this.list.push({ method, pattern, parts: pattern.split("/").filter(Boolean), meta, handler });
    return this;
  }

  /** routes lists every route in the order it was added. */
  routes(): readonly Route<M, Ctx>[] {
    return this.list;
  }

  /** match finds the most specific route for the path and method. */
  match(method: string, path: string): RouteMatch<M, Ctx> {
    const segments = path.split("/").filter(Boolean);
    let pathKnown = false;
    let best: { route: Route<M, Ctx>; params: Record<string, string>; literals: number } | undefined;
    for (const route of this.list) {
      const params = matchParts(route.parts, segments);
      if (!params) continue;
      pathKnown = true;
      if (route.method !== method && !(method === "HEAD" && route.method === "GET")) continue;
      const literals = route.parts.filter((p) => !p.startsWith(":")).length;
      if (!best || literals > best.literals) best = { route, params, literals };
    }
    if (best)
      return { handler: best.route.handler, params: best.params, pattern: best.route.pattern, meta: best.route.meta };
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
