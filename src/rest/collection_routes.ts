// REST: /api/collections and /api/collections/:name (VSKI-compatible).
import { collectionView, withTriggerHealth } from "../collections/collection_health";
import { parseCollectionInput } from "../collections/collection_input";
import {
  createCollection,
  deleteCollection,
  getCollection,
  listCollections,
  updateCollection,
} from "../collections/collection_store";
import { sendTestDelivery } from "../collections/trigger_test_delivery";
import type { Deps } from "../deps";
import { parsePageRequest } from "../lib/page";
import type { Router } from "../lib/router";
import { json, readJson } from "./respond";

/** addCollectionRoutes registers the collection endpoints; answers carry each trigger's health. */
export function addCollectionRoutes(router: Router, deps: Deps): void {
  router
    .on("GET", "/api/collections", async ({ url }) => {
      const page = await listCollections(
        deps,
        parsePageRequest(url.searchParams.get("page"), url.searchParams.get("perPage")),
      );
      return json({ ...page, items: await withTriggerHealth(deps, page.items) });
    })
    .on("POST", "/api/collections", async ({ req }) =>
      json(
        await collectionView(deps, await createCollection(deps, parseCollectionInput(await readJson(req), false))),
        200,
      ),
    )
    .on("GET", "/api/collections/:name", async ({ params }) =>
      json(await collectionView(deps, await getCollection(deps, params.name!))),
    )
    .on("POST", "/api/collections/:name/triggers/:id/test", async ({ params }) =>
      json(await sendTestDelivery(deps, params.name!, params.id!)),
    )
    .on("PATCH", "/api/collections/:name", async ({ req, params }) =>
      json(
        await collectionView(
          deps,
          await updateCollection(deps, params.name!, parseCollectionInput(await readJson(req), true)),
        ),
      ),
    )
    .on("DELETE", "/api/collections/:name", async ({ params }) => {
      await deleteCollection(deps, params.name!);
      return new Response(null, { status: 204 });
    });
}
