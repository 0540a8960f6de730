// REST: delivery statistics for the dashboard's overview (GET /api/stats/deliveries?hours=24).
import type { Deps } from "../deps";
import type { ApiRouter } from "./api_router";
import { deliveryStats } from "../dispatch/log_stats";
import { fieldError } from "../errors";
import { json } from "./respond";

/** addStatsRoutes registers the statistics endpoint. */
export function addStatsRoutes(router: ApiRouter, deps: Deps): void {
  router.on("GET", "/api/stats/deliveries", "logs:read", async ({ url }) =>
    json(await deliveryStats(deps, parseHours(url.searchParams.get("hours")))),
  );
}

function parseHours(value: string | null): number {
  if (value === null || value === "") return 24;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 168)
    throw fieldError("hours", "invalid_value", `must be a whole number of hours from 1 to 168, got "${value}"`);
  return n;
}
