// GraphQL: the Collection type with its queries and mutations.
import { parseCollectionInput } from "../collections/collection_input";
import { createCollection, deleteCollection, updateCollection } from "../collections/collection_store";
import { getCollection, listCollections } from "../collections/collection_lookup";
import { collectionView, withTriggerHealth, type CollectionView } from "../collections/collection_health";
import type { Field } from "../collections/collection_types";
import { enableTrigger } from "../collections/trigger_lookup";
import { parsePageRequest } from "../lib/page";
import { collectionShownTo, keepMaskedTriggerHeaders } from "../auth/header_masking";
import { COLLECTIONS_TARGET, compileListQuery } from "../collections/list_query";
import { problemsOfCheck, validationErrorOf } from "../errors";
import { builder } from "./builder";
import { pageType } from "./page_type";
import { TriggerInput, TriggerRef } from "./trigger_types";
import { withoutNulls } from "./without_nulls";

const FieldRef = builder.objectRef<Field>("Field").implement({
  fields: (t) => ({
    id: t.exposeID("id", { description: "Stable across renames" }),
    name: t.exposeString("name"),
    type: t.exposeString("type"),
    required: t.exposeBoolean("required"),
    options: t.expose("options", { type: "JSON" }),
  }),
});

const CollectionRef = builder.objectRef<CollectionView>("Collection").implement({
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    type: t.exposeString("type"),
    schema: t.field({ type: [FieldRef], resolve: (c) => c.schema }),
    triggers: t.field({ type: [TriggerRef], resolve: (c) => c.options.triggers }),
    options: t.field({
      type: "JSON",
      description: "Trigger header values are masked unless the caller holds secrets:read",
      resolve: (c, _a, ctx) => collectionShownTo(ctx.atRest, ctx.access, c).options,
    }),
    created: t.exposeString("created"),
    updated: t.exposeString("updated"),
  }),
});

const CollectionPage = pageType("CollectionPage", CollectionRef);

const FieldInput = builder.inputType("FieldInput", {
  fields: (t) => ({
    id: t.id({ description: "A stored field's id renames that field to name; without it a field is matched by name" }),
    name: t.string({ required: true }),
    type: t.string({ required: true }),
    required: t.boolean(),
    options: t.field({ type: "JSON" }),
  }),
});

const CollectionInput = builder.inputType("CollectionInput", {
  description: "Fields replace the whole field list; triggers replace the whole trigger list.",
  fields: (t) => ({
    name: t.string(),
    fields: t.field({ type: [FieldInput] }),
    triggers: t.field({ type: [TriggerInput] }),
    options: t.field({ type: "JSON" }),
  }),
});

/** collectionInput reads GraphQL's explicit nulls as absent, in the input and in each field and trigger. */
function collectionInput(input: object): Record<string, unknown> {
  const top = withoutNulls(input);
  for (const list of ["fields", "triggers"]) {
    if (Array.isArray(top[list])) top[list] = top[list].map((item: object) => withoutNulls(item));
  }
  return top;
}

builder.queryFields((t) => ({
  collections: t.field({
    authScopes: { scope: "collections:read" },
    type: CollectionPage,
    args: {
      page: t.arg.int(),
      perPage: t.arg.int(),
      filter: t.arg.string({ description: "A condition over id, name, type, created, updated: name ~ 'order'" }),
      sort: t.arg.string({ description: "Comma-separated columns, - for descending (default created,name)" }),
    },
    resolve: async (_r, args, deps) => {
      const query = { filter: args.filter, sort: args.sort };
      const problems = {
        ...problemsOfCheck(() => parsePageRequest(args.page, args.perPage)),
        ...problemsOfCheck(() => compileListQuery(COLLECTIONS_TARGET, query)),
      };
      if (Object.keys(problems).length > 0) throw validationErrorOf(problems);
      const page = await listCollections(deps, parsePageRequest(args.page, args.perPage), query);
      return { ...page, items: await withTriggerHealth(deps, page.items) };
    },
  }),
  collection: t.field({
    authScopes: { scope: "collections:read" },
    type: CollectionRef,
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_r, { name }, deps) => collectionView(deps, await getCollection(deps, name)),
  }),
}));

builder.mutationFields((t) => ({
  createCollection: t.field({
    authScopes: { scope: "collections:write" },
    type: CollectionRef,
    args: { input: t.arg({ type: CollectionInput, required: true }) },
    resolve: async (_r, { input }, deps) =>
      collectionView(deps, await createCollection(deps, parseCollectionInput(collectionInput(input), false))),
  }),
  updateCollection: t.field({
    authScopes: { scope: "collections:write" },
    type: CollectionRef,
    args: { name: t.arg.string({ required: true }), input: t.arg({ type: CollectionInput, required: true }) },
    resolve: async (_r, { name, input }, deps) => {
      // Header values read masked (no secrets:read) and sent back keep their stored values.
      const stored = (await getCollection(deps, name)).options.triggers;
      const body = keepMaskedTriggerHeaders(collectionInput(input), stored);
      return collectionView(deps, await updateCollection(deps, name, parseCollectionInput(body, true)));
    },
  }),
  deleteCollection: t.field({
    authScopes: { scope: "collections:write" },
    type: CollectionRef,
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_r, { name }, deps) => collectionView(deps, await deleteCollection(deps, name)),
  }),
  enableTrigger: t.field({
    authScopes: { scope: "collections:write" },
    type: CollectionRef,
    description: "Un-pause a trigger, clear its disabled state and release its held deliveries in order.",
    args: { collection: t.arg.string({ required: true }), id: t.arg.string({ required: true }) },
    resolve: async (_r, { collection, id }, deps) => collectionView(deps, await enableTrigger(deps, collection, id)),
  }),
}));
