// REST: standalone webhooks at /api/webhooks. /api/webhooks/logs belongs to the delivery log
// API (the router prefers its literal path over :name); "logs" is a reserved webhook name.
import type { Deps } from "../deps";
import { enablesTarget } from "../targets/request_settings";
import { parseWebhookInput } from "../webhooks/webhook_input";
import { createWebhook, deleteWebhook, getWebhook, listWebhooks, updateWebhook } from "../webhooks/webhook_store";
import { triggerWebhook } from "../webhooks/webhook_trigger";
import { json, readJson } from "./respond";
import type { ApiRouter, RouteSpec } from "./route_spec";

const spec = (summary: string, more: Partial<RouteSpec> = {}): RouteSpec => ({ summary, tag: "webhooks", ...more });

/** addWebhookRoutes registers the standalone webhook endpoints. */
export function addWebhookRoutes(router: ApiRouter, deps: Deps): void {
  router
    .on("GET", "/api/webhooks", spec("List standalone webhooks"), async () => json(await listWebhooks(deps)))
    .on("POST", "/api/webhooks", spec("Create a standalone webhook"), async ({ req }) =>
      json(await createWebhook(deps, parseWebhookInput(await readJson(req)))),
    )
    .on("GET", "/api/webhooks/:name", spec("Read a standalone webhook"), async ({ params }) =>
      json(await getWebhook(deps, params.name!)),
    )
    .on("PATCH", "/api/webhooks/:name", spec("Change a standalone webhook"), async ({ req, params }) => {
      const before = await getWebhook(deps, params.name!);
      const body = await readJson(req);
      return json(await updateWebhook(deps, before, parseWebhookInput(body, before), enablesTarget(body)));
    })
    .on("DELETE", "/api/webhooks/:name", spec("Delete a standalone webhook"), async ({ params }) => {
      await deleteWebhook(deps, params.name!);
      return new Response(null, { status: 204 });
    })
    .on(
      "POST",
      "/api/webhooks/:name/trigger",
      spec("Send a standalone webhook; a JSON body replaces its stored body"),
      async ({ req, params }) =>
        json(await triggerWebhook(deps, params.name!, await readJson(req, { optional: true }))),
    );
}
