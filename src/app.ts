// The whole HTTP surface as one fetch handler, built apart from listening so tests call
// app.fetch(new Request(…)) with no socket.
import { createYoga } from "graphql-yoga";
import type { Access } from "./auth/access";
import { tokenFromRequest } from "./auth/admin_token";
import { loadClientFiles } from "./dashboard/client_files";
import { DASHBOARD_PREFIX, isDashboardPath, serveDashboard } from "./dashboard/serve";
import type { Deps } from "./deps";
import { clientErrorOf } from "./db/db_errors";
import {
  DatabaseUnavailableError,
  errorFields,
  MethodNotAllowedError,
  NotFoundError,
  UnauthorizedError,
} from "./errors";
import type { Route } from "./lib/router";
import { dbHealth } from "./db/db_health";
import { apiRouter } from "./rest/all_routes";
import { cors } from "./middleware/cors";
import { IDEMPOTENCY_HEADER, withIdempotency } from "./middleware/idempotency";
import { authorizeRoute } from "./middleware/scopes";
import type { ApiContext } from "./rest/api_router";
import { readQuery } from "./rest/query_params";
import { errorResponse, MAX_BODY_BYTES, readLimited } from "./rest/respond";
import type { RouteSpec } from "./rest/route_spec";
import { schema } from "./schema";
import type { GraphQLContext } from "./schema/builder";
import { errorShapePlugin } from "./schema/error_shape";
import { GRAPHIQL_PREFIX, graphiqlFile, graphiqlPage, wantsGraphiql } from "./graphiql/graphiql_page";
import { maskError } from "./schema/mask_error";
import { queryLimitPlugins } from "./schema/query_limits";
import { setActor, withRequestContext } from "./lib/request_context";
import { PayloadTooLargeError } from "./errors";
import { metricsAccess } from "./metrics/metrics_access";

/** App is hookd's HTTP handler. */
export interface App {
  fetch(req: Request): Promise<Response>;
  /** routes lists every REST route with what it declares about its callers. */
  routes(): readonly Route<RouteSpec, ApiContext>[];
}

// Whoever presents HOOKD_METRICS_TOKEN may scrape /metrics and nothing else.
const METRICS_TOKEN_ACCESS: Access = { actor: "metrics-token", scopes: new Set(["metrics:read"]) };
// Any other method is counted as "other", so a client cannot grow the label set.
const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** createApp builds the GraphQL and REST handler over the given dependencies. */
export function createApp(deps: Deps): App {
  const router = apiRouter(deps);

  const yoga = createYoga({
    schema,
    // answer (the budget) is added per request by queryLimitPlugins.
    context: ({ access }: { access: Access }): Omit<GraphQLContext, "answer"> => ({ ...deps, access }),
    graphqlEndpoint: "/graphql",
    graphiql: false,
    landingPage: false,
    logging: false,
    maskedErrors: { maskError: (error, message) => maskError(error, message, toClientError, onUnexpected) },
    plugins: [...queryLimitPlugins(schema, deps.config.maxAnswerBytes), errorShapePlugin()],
  });

  const onUnexpected = (err: unknown) => deps.log.error("unexpected error", errorFields(err));
  // A database fault (full disk, read-only file, unreachable server) is a 503 saying so, not a 500.
  const toClientError = (err: unknown) => {
    const mapped = clientErrorOf(err, deps.config.dbUrl);
    if (mapped instanceof DatabaseUnavailableError) dbHealth(deps.db).noteFault(err);
    return mapped ?? err;
  };

  const metricsAllowed = metricsAccess(deps.config.metricsToken);

  /** caller is who the request's token belongs to, or null for no (valid) token. */
  async function caller(req: Request, pattern: string | null): Promise<Access | null> {
    const token = tokenFromRequest(req);
    const access =
      (await deps.auth.authenticate(token)) ??
      (pattern === "/metrics" && metricsAllowed(token) ? METRICS_TOKEN_ACCESS : null);
    // Configuration changes made by this request are logged with its actor (auth/config_changes.ts).
    if (access) setActor(access.actor);
    return access;
  }

  // `seen.route` is what /metrics counts the request under: the matched pattern, never the raw path.
  async function handle(req: Request, url: URL, seen: { route: string }): Promise<Response> {
    if (url.pathname === "/") {
      seen.route = "/";
      return new Response(null, { status: 302, headers: { location: DASHBOARD_PREFIX } });
    }
    if (wantsGraphiql(req, url)) {
      seen.route = "/graphql";
      return graphiqlPage();
    }
    if (url.pathname.startsWith(GRAPHIQL_PREFIX) && (req.method === "GET" || req.method === "HEAD")) {
      seen.route = GRAPHIQL_PREFIX;
      return graphiqlFile(url.pathname);
    }
    if (isDashboardPath(url.pathname)) {
      seen.route = "/_/";
      return serveDashboard(req, url.pathname, loadClientFiles);
    }
    if (url.pathname === "/graphql") {
      seen.route = "/graphql";
      // Fields check their own scopes (Pothos scope-auth); here only that there is a caller.
      const access = await caller(req, null);
      if (!access) throw new UnauthorizedError();
      if (Number(req.headers.get("content-length") ?? "0") > MAX_BODY_BYTES)
        throw new PayloadTooLargeError(MAX_BODY_BYTES);
      // A chunked body has no length to check up front: read it under the limit, then hand yoga a copy.
      if (req.body) req = new Request(req, { body: (await readLimited(req)) as BodyInit });
      return yoga.fetch(req, { access });
    }
    const match = router.match(req.method, url.pathname);
    if ("miss" in match) {
      // Unknown routes still ask for a token first, so they reveal nothing to strangers
      // (a wrong method on a public path is no secret).
      const onPublicPath = [router.match("GET", url.pathname)].some((m) => "meta" in m && m.meta.access === "public");
      if (!onPublicPath && !(await caller(req, null))) throw new UnauthorizedError();
      if (match.miss === "method_not_allowed") throw new MethodNotAllowedError(req.method, url.pathname);
      throw new NotFoundError(`route ${req.method} ${url.pathname}`);
    }
    seen.route = match.pattern;
    const who = match.meta.access === "public" ? null : await caller(req, match.pattern);
    const access = authorizeRoute(match.meta.access, match.params, who);
    const query = await readQuery(match.meta, { req, params: match.params, url });
    const run = (req: Request) => match.handler({ req, params: match.params, url, query, access });
    return match.meta.idempotent && req.headers.has(IDEMPOTENCY_HEADER)
      ? withIdempotency(deps, req, access, run)
      : run(req);
  }

  const withCors = cors(deps.config.corsOrigins);

  return {
    routes: () => router.routes(),
    async fetch(req) {
      const url = new URL(req.url);
      const seen = { route: "unmatched" };
      const res = await withRequestContext(() =>
        withCors(req, () =>
          handle(req, url, seen).catch((err) =>
            errorResponse(toClientError(err), onUnexpected, url.pathname === "/graphql"),
          ),
        ),
      );
      deps.metrics.httpRequest(KNOWN_METHODS.has(req.method) ? req.method : "other", seen.route, res.status);
      return res;
    },
  };
}
