// REST: API keys at /api/keys (docs/security.md). The key itself is answered once, by the POST.
import { describeCaller, mintKey, revokeKey } from "../auth/key_actions";
import { keyRequestBody } from "../auth/key_input";
import { listKeys } from "../auth/key_store";
import type { Deps } from "../deps";
import type { RouteAccess } from "./api_router";
import { z } from "zod";
import { callerAnswer, keyAnswer, newKeyAnswer } from "./answers";
import { json, readJson } from "./respond";
import type { ApiRouter, RouteSpec } from "./route_spec";
import { wholeListBudget } from "./list_params";

const spec = (summary: string, access: RouteAccess, more: Partial<RouteSpec> = {}): RouteSpec => ({
  summary,
  tag: "keys",
  access,
  ...more,
});

/** addKeyRoutes registers the key endpoints; /api/keys/self tells any caller its own scopes. */
export function addKeyRoutes(router: ApiRouter, deps: Deps): void {
  router
    .on(
      "GET",
      "/api/keys",
      spec("List API keys (never the keys themselves)", "keys:write", { answer: z.array(keyAnswer), wholeList: true }),
      async () => json(await listKeys(deps, wholeListBudget(deps))),
    )
    .on(
      "POST",
      "/api/keys",
      spec("Make an API key; the key (hk_…) is in this answer only", "keys:write", {
        body: keyRequestBody,
        answer: newKeyAnswer,
      }),
      async ({ req, access }) => json(await mintKey(deps, access, await readJson(req))),
    )
    .on(
      "GET",
      "/api/keys/self",
      spec("Who the caller is and which scopes it holds", "signed-in", { answer: callerAnswer }),
      async ({ access }) => json(await describeCaller(deps, access)),
    )
    .on("DELETE", "/api/keys/:id", spec("Revoke an API key", "keys:write"), async ({ params, access }) => {
      await revokeKey(deps, access, params.id!);
      return new Response(null, { status: 204 });
    });
}
