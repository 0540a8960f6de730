// REST: /api/collections and /api/collections/:name (VSKI-compatible).
import { parseCollectionInput } from "../collections/collection_input";
import { createCollection, deleteCollection, getCollection, listCollections, updateCollection } from "../collections/collection_store";
import type { Deps } from "../deps";
import { parsePageRequest } from "../lib/page";
import type { Router } from "../lib/router";
import { json, readJson } from "./respond";

/** addCollectionRoutes registers the collection endpoints. */
export function addCollectionRoutes(router: Router, deps: Deps): void {
  router
    .on("GET", "/api/collections", ({ url }) =>
      listCollections(deps, parsePageRequest(url.searchParams.get("page"), url.searchParams.get("perPage"))).then((p) => json(p)),
    )
    .on("POST", "/api/collections", async ({ req }) => json(await createCollection(deps, parseCollectionInput(await readJson(req), false)), 200))
    .on("GET", "/api/collections/:name", async ({ params }) => json(await getCollection(deps, params.name!)))
    .on("PATCH", "/api/collections/:name", async ({ req, params }) =>
      json(await updateCollection(deps, params.name!, parseCollectionInput(await readJson(req), true))),
    )
    .on("DELETE", "/api/collections/:name", async ({ params }) => {
      await deleteCollection(deps, params.name!);
      return new Response(null, { status: 204 });
    });
}
