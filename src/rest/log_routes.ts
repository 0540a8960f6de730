// REST: the delivery log at /api/webhooks/logs (VSKI-compatible). Registered before the
// standalone webhook routes so that /api/webhooks/:name does not take "logs" for a name.
import type { Deps } from "../deps";
import { listAttempts } from "../deliveries/attempt_store";
import { parseLogFilter, queryToFilterInput } from "../deliveries/log_filter";
import { getLog, listLogs, retryLog } from "../deliveries/log_store";
import { parsePageRequest } from "../lib/page";
import type { Router } from "../lib/router";
import { cancelLogs, parseBulkFilter, retryLogs } from "../deliveries/log_bulk";
import { json, readJson, requireObject } from "./respond";

/** addLogRoutes registers the webhook log endpoints. */
export function addLogRoutes(router: Router, deps: Deps): void {
  router
    .on("GET", "/api/webhooks/logs", async ({ url }) => {
      const q = url.searchParams;
      return json(
        await listLogs(deps, parseLogFilter(queryToFilterInput(q)), parsePageRequest(q.get("page"), q.get("perPage"))),
      );
    })
    .on("POST", "/api/webhooks/logs/retry", async ({ req }) =>
      json({ count: await retryLogs(deps, parseBulkFilter(requireObject(await readJson(req)).filter)) }),
    )
    .on("POST", "/api/webhooks/logs/cancel", async ({ req }) =>
      json({ count: await cancelLogs(deps, parseBulkFilter(requireObject(await readJson(req)).filter)) }),
    )
    .on("GET", "/api/webhooks/logs/:id", async ({ params }) => json(await getLog(deps, params.id!)))
    .on("GET", "/api/webhooks/logs/:id/attempts", async ({ params, url }) =>
      json(
        await listAttempts(
          deps,
          params.id!,
          parsePageRequest(url.searchParams.get("page"), url.searchParams.get("perPage")),
        ),
      ),
    )
    .on("POST", "/api/webhooks/logs/:id/retry", async ({ params }) => json(await retryLog(deps, params.id!)));
}
