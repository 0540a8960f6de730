// REST: the delivery log at /api/webhooks/logs (VSKI-compatible). Registered before the
// standalone webhook routes so that /api/webhooks/:name does not take "logs" for a name.
import type { Deps } from "../deps";
import { getLog, listLogs, parseLogFilter, retryLog } from "../dispatch/log_store";
import { parsePageRequest } from "../lib/page";
import type { Router } from "../lib/router";
import { json } from "./respond";

/** addLogRoutes registers the webhook log endpoints. */
export function addLogRoutes(router: Router, deps: Deps): void {
  router
    .on("GET", "/api/webhooks/logs", async ({ url }) => {
      const q = url.searchParams;
      return json(await listLogs(deps, parseLogFilter(q.get("collection"), q.get("status")), parsePageRequest(q.get("page"), q.get("perPage"))));
    })
    .on("GET", "/api/webhooks/logs/:id", async ({ params }) => json(await getLog(deps, params.id!)))
    .on("POST", "/api/webhooks/logs/:id/retry", async ({ params }) => json(await retryLog(deps, params.id!)));
}
