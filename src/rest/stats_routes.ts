// REST: delivery statistics for the dashboard's overview (GET /api/stats/deliveries?hours=24).
import { z } from "zod";
import type { Deps } from "../deps";
import { deliveryStats } from "../deliveries/log_stats";
import { statsAnswer } from "./answers";
import { json } from "./respond";
import type { ApiRouter } from "./route_spec";

const HOURS = "must be a whole number of hours from 1 to 168";
const statsQuery = z.object({
  hours: z.coerce
    .number()
    .int(HOURS)
    .min(1, HOURS)
    .max(168, HOURS)
    .optional()
    .describe("How many hours back to count (default 24)"),
});

/** addStatsRoutes registers the statistics endpoint. */
export function addStatsRoutes(router: ApiRouter, deps: Deps): void {
  router.on(
    "GET",
    "/api/stats/deliveries",
    {
      summary: "Delivery outcomes per minute and the queue",
      tag: "logs",
      access: "logs:read",
      query: statsQuery,
      answer: statsAnswer,
    },
    async ({ query }) => json(await deliveryStats(deps, query.hours ?? 24)),
  );
}
