// REST: API keys at /api/keys (SPEC §15). The key itself is answered once, by the POST.
import { describeCaller, mintKey, revokeKey } from "../auth/key_actions";
import { listKeys } from "../auth/key_store";
import type { Deps } from "../deps";
import type { ApiRouter } from "./api_router";
import { json, readJson } from "./respond";

/** addKeyRoutes registers the key endpoints; /api/keys/self tells any caller its own scopes. */
export function addKeyRoutes(router: ApiRouter, deps: Deps): void {
  router
    .on("GET", "/api/keys", "keys:write", async () => json(await listKeys(deps)))
    .on("POST", "/api/keys", "keys:write", async ({ req, access }) =>
      json(await mintKey(deps, access, await readJson(req))),
    )
    .on("GET", "/api/keys/self", "signed-in", async ({ access }) => json(await describeCaller(deps, access)))
    .on("DELETE", "/api/keys/:id", "keys:write", async ({ params, access }) => {
      await revokeKey(deps, access, params.id!);
      return new Response(null, { status: 204 });
    });
}
