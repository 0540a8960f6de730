// A small method + path router for fetch handlers; it knows nothing of hookd. Each route
// carries a declaration (`meta`) of the app's choosing, answered with the match, so that
// middleware can act on it (hookd declares the scope a route needs).

/** RouteContext is what a handler gets at least: the request, path parameters and parsed URL. */
export interface RouteContext {
  req: Request;
  params: Record<string, string>;
  url: URL;
}

/** Handler answers one matched request. */
export type Handler<Ctx extends RouteContext = RouteContext> = (ctx: Ctx) => Response | Promise<Response>;

/** RouteInfo is one registered route: method, pattern and declaration. */
export interface RouteInfo<Meta> {
  method: string;
  pattern: string;
  meta: Meta;
}

interface Route<Meta, Ctx extends RouteContext> extends RouteInfo<Meta> {
  parts: string[];
  handler: Handler<Ctx>;
}

/** RouteMatch is a found handler with the pattern and declaration it was added under, or why none was found. */
export type RouteMatch<Meta = unknown, Ctx extends RouteContext = RouteContext> =
  | { handler: Handler<Ctx>; params: Record<string, string>; pattern: string; meta: Meta }
  | { miss: "not_found" | "method_not_allowed" };

/** Router matches a path to the most specific route: literal segments beat ":name" captures, whatever the order routes were added in. */
export class Router<Meta = undefined, Ctx extends RouteContext = RouteContext> {
  private list: Route<Meta, Ctx>[] = [];

  /** on adds a route for one or more methods, with its declaration. */
  on(methods: string | string[], pattern: string, meta: Meta, handler: Handler<Ctx>): this {
    for (const method of [methods].flat())
      this.list.push({ method, pattern, meta, parts: pattern.split("/").filter(Boolean), handler });
    return this;
  }

  /** routes lists every registered route, in the order added. */
  routes(): RouteInfo<Meta>[] {
    return this.list.map(({ method, pattern, meta }) => ({ method, pattern, meta }));
  }

  /** match finds the most specific route for the path and method. */
  match(method: string, path: string): RouteMatch<Meta, Ctx> {
    const segments = path.split("/").filter(Boolean);
    let pathKnown = false;
    let best: { route: Route<Meta, Ctx>; params: Record<string, string>; literals: number } | undefined;
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
