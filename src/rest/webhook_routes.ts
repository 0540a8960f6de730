// REST: standalone webhooks at /api/webhooks. /api/webhooks/logs belongs to the delivery log
// API (the router prefers its literal path over :name); "logs" is a reserved webhook name.
import { refuseEventsUnlessLogsRead } from "../auth/access";
import { targetShownTo } from "../auth/header_masking";
import type { Deps } from "../deps";
import { enablesTarget } from "../targets/request_settings";
import { parseWebhookInput, webhookShape } from "../webhooks/webhook_input";
import { createWebhook, deleteWebhook, getWebhook, listWebhooks, updateWebhook } from "../webhooks/webhook_store";
import { triggerWebhook } from "../webhooks/webhook_trigger";
import { z } from "zod";
import { queuedAnswer } from "./answers";
import { webhookAnswer } from "./target_answers";
import { json, readJson } from "./respond";
import type { RouteAccess } from "./api_router";
import type { ApiRouter, RouteSpec } from "./route_spec";
import { wholeListBudget } from "./list_params";

const spec = (summary: string, access: RouteAccess, more: Partial<RouteSpec> = {}): RouteSpec => ({
  summary,
  tag: "webhooks",
  access,
  ...more,
});

/** addWebhookRoutes registers the standalone webhook endpoints. */
export function addWebhookRoutes(router: ApiRouter, deps: Deps): void {
  router
    .on(
      "GET",
      "/api/webhooks",
      spec("List standalone webhooks", "webhooks:read", { answer: z.array(webhookAnswer), wholeList: true }),
      async ({ access }) =>
        json((await listWebhooks(deps, wholeListBudget(deps))).map((w) => targetShownTo(deps.atRest, access, w))),
    )
    .on(
      "POST",
      "/api/webhooks",
      spec("Create a standalone webhook", "webhooks:write", { body: z.object(webhookShape), answer: webhookAnswer }),
      async ({ req, access }) => {
        const input = parseWebhookInput(await readJson(req));
        refuseEventsUnlessLogsRead(access, input);
        return json(targetShownTo(deps.atRest, access, await createWebhook(deps, input)));
      },
    )
    .on(
      "GET",
      "/api/webhooks/:name",
      spec("Read a standalone webhook", "webhooks:read", { answer: webhookAnswer }),
      async ({ params, access }) => json(targetShownTo(deps.atRest, access, await getWebhook(deps, params.name!))),
    )
    .on(
      "PATCH",
      "/api/webhooks/:name",
      spec("Change a standalone webhook", "webhooks:write", {
        body: z.object(webhookShape).partial(),
        answer: webhookAnswer,
      }),
      async ({ req, params, access }) => {
        const before = await getWebhook(deps, params.name!);
        const body = await readJson(req);
        const input = parseWebhookInput(body, before);
        refuseEventsUnlessLogsRead(access, before, input);
        const after = await updateWebhook(deps, before, input, enablesTarget(body));
        return json(targetShownTo(deps.atRest, access, after));
      },
    )
    .on("DELETE", "/api/webhooks/:name", spec("Delete a standalone webhook", "webhooks:write"), async ({ params }) => {
      await deleteWebhook(deps, params.name!);
      return new Response(null, { status: 204 });
    })
    .on(
      "POST",
      "/api/webhooks/:name/trigger",
      spec(
        "Send a standalone webhook; a JSON body replaces its stored body",
        { scope: "webhooks:trigger", per: "name" },
        {
          body: z.unknown().describe("Any JSON value; absent sends the stored body"),
          answer: queuedAnswer,
          idempotent: true,
        },
      ),
      async ({ req, params }) =>
        json(await triggerWebhook(deps, params.name!, await readJson(req, { optional: true }))),
    );
}
