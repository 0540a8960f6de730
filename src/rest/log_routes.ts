// REST: the delivery log at /api/webhooks/logs (VSKI-compatible). Registered before the
// standalone webhook routes so that /api/webhooks/:name does not take "logs" for a name.
import type { Deps } from "../deps";
import type { ApiRouter } from "./api_router";
import { listAttempts } from "../dispatch/attempt_store";
import { parseLogFilter, queryToFilterInput } from "../dispatch/log_filter";
import { getLog, listLogs, retryLog } from "../dispatch/log_store";
import { parsePageRequest } from "../lib/page";
import { cancelLogs, parseBulkFilter, retryLogs } from "../logs/log_bulk";
import { json, readJson, requireObject } from "./respond";

/** addLogRoutes registers the webhook log endpoints. */
export function addLogRoutes(router: ApiRouter, deps: Deps): void {
  router
    .on("GET", "/api/webhooks/logs", "logs:read", async ({ url }) => {
      const q = url.searchParams;
      return json(
        await listLogs(deps, parseLogFilter(queryToFilterInput(q)), parsePageRequest(q.get("page"), q.get("perPage"))),
      );
    })
    .on("POST", "/api/webhooks/logs/retry", "logs:write", async ({ req }) =>
      json({ count: await retryLogs(deps, parseBulkFilter(requireObject(await readJson(req)).filter)) }),
    )
    .on("POST", "/api/webhooks/logs/cancel", "logs:write", async ({ req }) =>
      json({ count: await cancelLogs(deps, parseBulkFilter(requireObject(await readJson(req)).filter)) }),
    )
    .on("GET", "/api/webhooks/logs/:id", "logs:read", async ({ params }) => json(await getLog(deps, params.id!)))
    .on("GET", "/api/webhooks/logs/:id/attempts", "logs:read", async ({ params, url }) =>
      json(
        await listAttempts(
          deps,
          params.id!,
          parsePageRequest(url.searchParams.get("page"), url.searchParams.get("perPage")),
        ),
      ),
    )
    .on("POST", "/api/webhooks/logs/:id/retry", "logs:write", async ({ params }) =>
      json(await retryLog(deps, params.id!)),
    );
}
