// REST: /api/collections and /api/collections/:name (VSKI-compatible).
import { z } from "zod";
import { collectionView, withTriggerHealth } from "../collections/collection_health";
import { collectionBody, parseCollectionInput } from "../collections/collection_input";
import { triggerSchema } from "../collections/trigger_input";
import { createCollection, deleteCollection, updateCollection } from "../collections/collection_store";
import { getCollection, listCollections } from "../collections/collection_lookup";
import { sendTestDelivery } from "../collections/trigger_test_delivery";
import { addTrigger, deleteTrigger, getTrigger, patchTrigger } from "../collections/trigger_one";
import type { Access } from "../auth/access";
import { collectionShownTo, keepMaskedTriggerHeaders, targetShownTo } from "../auth/header_masking";
import type { Collection } from "../collections/collection_types";
import type { Deps } from "../deps";
import { COLLECTIONS_TARGET, compileListQuery, pickFields } from "../collections/list_query";
import { parsePageRequest } from "../lib/page";
import { LIST_QUERY } from "./list_params";
import { problemsOf } from "./query_params";
import { pageOf, queuedAnswer } from "./answers";
import { collectionAnswer, triggerAnswer } from "./target_answers";
import { json, readJson } from "./respond";
import type { RouteAccess } from "./api_router";
import type { ApiRouter, RouteSpec } from "./route_spec";

// filter and sort name columns of the collections table (id, name, type, created, updated).
const LIST: Partial<RouteSpec> = {
  query: z.object(LIST_QUERY),
  checkQuery: ({ query }) => problemsOf(() => compileListQuery(COLLECTIONS_TARGET, query)),
};

const spec = (summary: string, access: RouteAccess, more: Partial<RouteSpec> = {}): RouteSpec => ({
  summary,
  tag: "collections",
  access,
  ...more,
});

/** addCollectionRoutes registers the collection endpoints; answers carry each trigger's health. */
export function addCollectionRoutes(router: ApiRouter, deps: Deps): void {
  // A trigger list sent back with masked header values keeps the stored values (header_masking.ts).
  const withStoredHeaders = async (req: Request, name: string) =>
    keepMaskedTriggerHeaders(await readJson(req), (await getCollection(deps, name)).options.triggers);
  const view = async (access: Access, c: Collection) =>
    collectionShownTo(deps.atRest, access, await collectionView(deps, c));
  router
    .on(
      "GET",
      "/api/collections",
      spec("List collections", "collections:read", { ...LIST, answer: pageOf(collectionAnswer) }),
      async ({ query, access }) => {
        const page = await listCollections(deps, parsePageRequest(query.page, query.perPage), query, query.skipTotal);
        const { fields } = compileListQuery(COLLECTIONS_TARGET, query);
        const items = (await withTriggerHealth(deps, page.items)).map((c) =>
          pickFields(collectionShownTo(deps.atRest, access, c), fields),
        );
        return json({ ...page, items });
      },
    )
    .on(
      "POST",
      "/api/collections",
      spec("Create a collection", "collections:write", { body: collectionBody, answer: collectionAnswer }),
      async ({ req, access }) =>
        json(await view(access, await createCollection(deps, parseCollectionInput(await readJson(req), false)))),
    )
    .on(
      "GET",
      "/api/collections/:name",
      spec("Read a collection", "collections:read", { answer: collectionAnswer }),
      async ({ params, access }) => json(await view(access, await getCollection(deps, params.name!))),
    )
    .on(
      "POST",
      "/api/collections/:name/triggers",
      spec("Add a trigger to a collection", "collections:write", { body: triggerSchema, answer: triggerAnswer }),
      async ({ req, params, access }) =>
        json(targetShownTo(deps.atRest, access, await addTrigger(deps, params.name!, await readJson(req)))),
    )
    .on(
      "GET",
      "/api/collections/:name/triggers/:id",
      spec("Read a trigger with its health", "collections:read", { answer: triggerAnswer }),
      async ({ params, access }) =>
        json(targetShownTo(deps.atRest, access, await getTrigger(deps, params.name!, params.id!))),
    )
    .on(
      "PATCH",
      "/api/collections/:name/triggers/:id",
      spec("Change a trigger: the keys sent replace theirs, the others keep their value", "collections:write", {
        body: z.object(triggerSchema.in.shape).partial(),
        answer: triggerAnswer,
      }),
      async ({ req, params, access }) =>
        json(
          targetShownTo(deps.atRest, access, await patchTrigger(deps, params.name!, params.id!, await readJson(req))),
        ),
    )
    .on(
      "DELETE",
      "/api/collections/:name/triggers/:id",
      spec("Delete a trigger (its held deliveries end as failed)", "collections:write"),
      async ({ params }) => {
        await deleteTrigger(deps, params.name!, params.id!);
        return new Response(null, { status: 204 });
      },
    )
    .on(
      "POST",
      "/api/collections/:name/triggers/:id/test",
      spec("Send a test delivery of a trigger", "collections:write", { answer: queuedAnswer }),
      async ({ params }) => json(await sendTestDelivery(deps, params.name!, params.id!)),
    )
    .on(
      "PATCH",
      "/api/collections/:name",
      spec("Change a collection", "collections:write", { body: collectionBody.partial(), answer: collectionAnswer }),
      async ({ req, params, access }) =>
        json(
          await view(
            access,
            await updateCollection(
              deps,
              params.name!,
              parseCollectionInput(await withStoredHeaders(req, params.name!), true),
            ),
          ),
        ),
    )
    .on(
      "DELETE",
      "/api/collections/:name",
      spec("Delete a collection and its records", "collections:write"),
      async ({ params }) => {
        await deleteCollection(deps, params.name!);
        return new Response(null, { status: 204 });
      },
    );
}
