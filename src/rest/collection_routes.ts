// REST: /api/collections and /api/collections/:name (VSKI-compatible).
import type { Access } from "../auth/access";
import { collectionShownTo } from "../auth/header_masking";
import { collectionView, withTriggerHealth } from "../collections/collection_health";
import { parseCollectionInput } from "../collections/collection_input";
import {
  createCollection,
  deleteCollection,
  getCollection,
  listCollections,
  updateCollection,
} from "../collections/collection_store";
import type { Collection } from "../collections/collection_types";
import { sendTestDelivery } from "../collections/trigger_test_delivery";
import type { Deps } from "../deps";
import { parsePageRequest } from "../lib/page";
import type { ApiRouter } from "./api_router";
import { json, readJson } from "./respond";

/** addCollectionRoutes registers the collection endpoints; answers carry each trigger's health. */
export function addCollectionRoutes(router: ApiRouter, deps: Deps): void {
  const view = async (access: Access, c: Collection) => collectionShownTo(access, await collectionView(deps, c));
  router
    .on("GET", "/api/collections", "collections:read", async ({ url, access }) => {
      const page = await listCollections(
        deps,
        parsePageRequest(url.searchParams.get("page"), url.searchParams.get("perPage")),
      );
      const items = await withTriggerHealth(deps, page.items);
      return json({ ...page, items: items.map((c) => collectionShownTo(access, c)) });
    })
    .on("POST", "/api/collections", "collections:write", async ({ req, access }) =>
      json(await view(access, await createCollection(deps, parseCollectionInput(await readJson(req), false)))),
    )
    .on("GET", "/api/collections/:name", "collections:read", async ({ params, access }) =>
      json(await view(access, await getCollection(deps, params.name!))),
    )
    .on("POST", "/api/collections/:name/triggers/:id/test", "collections:write", async ({ params }) =>
      json(await sendTestDelivery(deps, params.name!, params.id!)),
    )
    .on("PATCH", "/api/collections/:name", "collections:write", async ({ req, params, access }) =>
      json(
        await view(access, await updateCollection(deps, params.name!, parseCollectionInput(await readJson(req), true))),
      ),
    )
    .on("DELETE", "/api/collections/:name", "collections:write", async ({ params }) => {
      await deleteCollection(deps, params.name!);
      return new Response(null, { status: 204 });
    });
}
