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
  // Routes by their number of segments, each with its count of literal segments: a path is only
  // compared with the routes of its own length.
  private byLength = new Map<number, { route: Route<M, Ctx>; literals: number }[]>();

  /** on adds a route for one or more methods. */
  on(methods: string | string[], pattern: string, meta: M, handler: Handler<Ctx>): this {
    for (const method of [methods].flat()) {
      const route = { method, pattern, parts: pattern.split("/").filter(Boolean), meta, handler };
      this.list.push(route);
      const sameLength = this.byLength.get(route.parts.length) ?? [];
      sameLength.push({ route, literals: route.parts.filter((p) => !p.startsWith(":")).length });
      this.byLength.set(route.parts.length, sameLength);
    }
    return this;
  }

  /** routes lists every route in the order it was added. */
  routes(): readonly Route<M, Ctx>[] {
    return this.list;
  }

  /** match finds the most specific route for the path and method. */
  match(method: string, path: string): RouteMatch<M, Ctx> {
    const segments = decodedSegments(path);
    if (!segments) return { miss: "not_found" };
    let pathKnown = false;
    let best: { route: Route<M, Ctx>; params: Record<string, string>; literals: number } | undefined;
    for (const { route, literals } of this.byLength.get(segments.length) ?? []) {
      const params = matchParts(route.parts, segments);
      if (!params) continue;
      pathKnown = true;
      if (route.method !== method && !(method === "HEAD" && route.method === "GET")) continue;
      if (!best || literals > best.literals) best = { route, params, literals };
    }
    if (best)
      return { handler: best.route.handler, params: best.params, pattern: best.route.pattern, meta: best.route.meta };
    return { miss: pathKnown ? "method_not_allowed" : "not_found" };
  }
}

/** decodedSegments splits a path into its decoded segments, or answers null when one is not valid percent-encoding. */
function decodedSegments(path: string): string[] | null {
  const segments = path.split("/").filter(Boolean);
  if (!path.includes("%")) return segments;
  try {
    return segments.map(decodeURIComponent);
  } catch {
    return null;
  }
}

function matchParts(parts: string[], segments: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.startsWith(":")) params[part.slice(1)] = segments[i]!;
    else if (part !== segments[i]) return null;
  }
  return params;
}
