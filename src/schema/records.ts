// GraphQL: records of any collection, as JSON objects (collections are defined at run time).
import { getCollection } from "../collections/collection_lookup";
import { createRecord, deleteRecord, getRecord, listRecords, updateRecord } from "../collections/record_store";
import { compileListQuery, recordTarget } from "../collections/list_query";
import { problemsOfCheck, validationErrorOf } from "../errors";
import { parsePageRequest } from "../lib/page";
import { builder } from "./builder";
import { IDEMPOTENCY_KEY_DESCRIPTION, onceForKey } from "./idempotent_field";
import { pageType } from "./page_type";

const RecordPage = pageType<Record<string, unknown>>("RecordPage", "JSON");

builder.queryFields((t) => ({
  records: t.field({
    authScopes: (_r, args) => ({ scope: `records:read:${args.collection}` }),
    type: RecordPage,
    args: {
      collection: t.arg.string({ required: true }),
      page: t.arg.int(),
      perPage: t.arg.int(),
      filter: t.arg.string({
        description: "A condition in the grammar of trigger conditions, e.g. (status='draft' && views>10)",
      }),
      sort: t.arg.string({
        description: "Comma-separated fields, - for descending: -created,title (default -created)",
      }),
    },
    resolve: async (_r, args, deps) => {
      const c = await getCollection(deps, args.collection);
      const query = { filter: args.filter, sort: args.sort };
      // A bad page and a bad filter or sort are reported together, as over REST.
      const problems = {
        ...problemsOfCheck(() => parsePageRequest(args.page, args.perPage)),
        ...problemsOfCheck(() => compileListQuery(recordTarget(c), query)),
      };
      if (Object.keys(problems).length > 0) throw validationErrorOf(problems);
      return listRecords(deps, c, parsePageRequest(args.page, args.perPage), deps.answer, { query });
    },
  }),
  record: t.field({
    authScopes: (_r, args) => ({ scope: `records:read:${args.collection}` }),
    type: "JSON",
    args: { collection: t.arg.string({ required: true }), id: t.arg.id({ required: true }) },
    resolve: async (_r, args, deps) => getRecord(deps, await getCollection(deps, args.collection), String(args.id)),
  }),
}));

builder.mutationFields((t) => ({
  createRecord: t.field({
    authScopes: (_r, args) => ({ scope: `records:write:${args.collection}` }),
    type: "JSON",
    args: {
      collection: t.arg.string({ required: true }),
      data: t.arg({ type: "JSON", required: true }),
      idempotencyKey: t.arg.string({ description: IDEMPOTENCY_KEY_DESCRIPTION }),
    },
    resolve: (_r, { idempotencyKey, ...args }, deps) =>
      onceForKey(deps, idempotencyKey, "createRecord", args, async () =>
        createRecord(deps, await getCollection(deps, args.collection), args.data),
      ),
  }),
  updateRecord: t.field({
    authScopes: (_r, args) => ({ scope: `records:write:${args.collection}` }),
    type: "JSON",
    args: {
      collection: t.arg.string({ required: true }),
      id: t.arg.id({ required: true }),
      data: t.arg({ type: "JSON", required: true }),
    },
    resolve: async (_r, args, deps) =>
      updateRecord(deps, await getCollection(deps, args.collection), String(args.id), args.data),
  }),
  deleteRecord: t.boolean({
    authScopes: (_r, args) => ({ scope: `records:write:${args.collection}` }),
    args: { collection: t.arg.string({ required: true }), id: t.arg.id({ required: true }) },
    resolve: async (_r, args, deps) => {
      await deleteRecord(deps, await getCollection(deps, args.collection), String(args.id));
      return true;
    },
  }),
}));
