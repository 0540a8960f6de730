// Every REST route in one router: the system routes (/healthz, the JWKS, /metrics and the
// OpenAPI document, built from the routes themselves) and each feature's routes. app.ts sends
// every request that is not GraphQL, GraphiQL or the dashboard here.
import { z } from "zod";
import { dbHealth } from "../db/db_health";
import type { Deps } from "../deps";
import { Router } from "../lib/router";
import { VERSION } from "../version";
import type { ApiContext, RouteAccess } from "./api_router";
import { healthAnswer, jwksAnswer } from "./answers";
import { addBackupRoutes } from "./backup_routes";
import { addCollectionRoutes } from "./collection_routes";
import { addCronRoutes } from "./cron_routes";
import { addKeyRoutes } from "./key_routes";
import { addLogRoutes } from "./log_routes";
import { openApiDocument } from "./openapi";
import { addRecordRoutes } from "./record_routes";
import { json } from "./respond";
import type { ApiRouter, RouteSpec } from "./route_spec";
import { addSecretRoutes } from "./secret_routes";
import { addStatsRoutes } from "./stats_routes";
import { addTransformRoutes } from "./transform_routes";
import { addWebhookRoutes } from "./webhook_routes";

/** healthz answers ok, or degraded with a 503 while the database does not answer or cannot write (db_health.ts). */
async function healthz(deps: Deps): Promise<Response> {
  const db = await dbHealth(deps.db).status();
  if (db.ok) return json({ status: "ok", version: VERSION });
  return json({ status: "degraded", version: VERSION, database: { fault: db.fault, message: db.message } }, 503);
}

/** apiRouter registers every REST route over the given dependencies. */
export function apiRouter(deps: Deps): ApiRouter {
  const system = (summary: string, access: RouteAccess, more: Partial<RouteSpec> = {}): RouteSpec => ({
    summary,
    tag: "system",
    access,
    ...more,
  });
  const router: ApiRouter = new Router<RouteSpec, ApiContext>()
    .on(
      "GET",
      "/healthz",
      system("Liveness, version and whether the database answers", "public", { answer: healthAnswer }),
      () => healthz(deps),
    )
    .on(
      "GET",
      "/.well-known/jwks.json",
      system("The public keys JWT-signed deliveries are signed with", "public", { answer: jwksAnswer }),
      () => json(deps.signer.jwks()),
    )
    .on(
      "GET",
      "/metrics",
      system("Prometheus metrics", "metrics:read", { answer: z.string(), answerType: "text/plain" }),
      async () =>
        new Response(await deps.metrics.registry.metrics(), {
          headers: { "content-type": deps.metrics.registry.contentType },
        }),
    );
  addCollectionRoutes(router, deps);
  addRecordRoutes(router, deps);
  addCronRoutes(router, deps);
  addLogRoutes(router, deps);
  addSecretRoutes(router, deps);
  addStatsRoutes(router, deps);
  addTransformRoutes(router, deps);
  addKeyRoutes(router, deps);
  addBackupRoutes(router, deps);
  // Built on first request, from every route registered (itself included).
  let openApi: Record<string, unknown> | undefined;
  router.on(
    "GET",
    "/api/openapi.json",
    system("This document: every REST route, its parameters, bodies, answers and errors", "public", {
      answer: z.looseObject({ openapi: z.literal("3.1.0") }),
    }),
    () => json((openApi ??= openApiDocument(router.routes()))),
  );
  // The order does not matter: the router takes the most specific route (/api/webhooks/logs over :name).
  addWebhookRoutes(router, deps);

  return router;
}
