// REST: records of a collection, including VSKI's bulk update and delete.
import { z } from "zod";
import { getCollection } from "../collections/collection_lookup";
import type { Collection } from "../collections/collection_types";
import { compileListQuery, pickFields, recordTarget } from "../collections/list_query";
import {
  bulkDeleteRecords,
  bulkUpdateRecords,
  createRecord,
  deleteRecord,
  getRecord,
  listRecords,
  updateRecord,
} from "../collections/record_store";
import type { Deps } from "../deps";
import { parsePageRequest } from "../lib/page";
import { AnswerBudget } from "../lib/answer_budget";
import { ITEM_QUERY, LIST_QUERY } from "./list_params";
import { parseWith } from "../lib/zod_errors";
import { problemsOf } from "./query_params";
import { pageOf, recordAnswer } from "./answers";
import { json, readJson } from "./respond";
import type { RouteAccess } from "./api_router";
import type { ApiRouter, RouteSpec } from "./route_spec";

const idList = z
  .array(z.string({ error: "ids must be strings" }).min(1), { error: "must be a list of record ids" })
  .max(10_000, "at most 10000 ids at once");
const bulkUpdateBody = z.object(
  { ids: idList, data: z.record(z.string(), z.unknown(), { error: "must be an object of field values" }) },
  { error: "must be an object {ids, data}" },
);
const bulkDeleteBody = z.object({ ids: idList }, { error: "must be an object {ids}" });

const recordQuery = z.object(ITEM_QUERY);
// Validated against the collection's own fields (record_values.ts); the document can only say "an object".
const recordBody = z.record(z.string(), z.unknown()).describe("The collection's fields by name; id on create");
const recordListQuery = z.object(LIST_QUERY);

// A key may hold records:read or records:write for every collection or for one (`records:read:posts`).
const READ: RouteAccess = { scope: "records:read", per: "name" };
const WRITE: RouteAccess = { scope: "records:write", per: "name" };

/** addRecordRoutes registers the record endpoints; bulk routes come before :id so they win. */
export function addRecordRoutes(router: ApiRouter, deps: Deps): void {
  const base = "/api/collections/:name/records";
  // filter, sort and fields name the collection's fields: checked with the query's other problems, before any write.
  const checkQuery: RouteSpec["checkQuery"] = ({ params, query }) =>
    problemsOf(async () => compileListQuery(recordTarget(await getCollection(deps, params.name!)), query));
  const spec = (summary: string, access: RouteAccess, more: Partial<RouteSpec> = {}): RouteSpec => ({
    summary,
    tag: "records",
    access,
    ...more,
  });
  const withQuery = (summary: string, access: RouteAccess, more: Partial<RouteSpec> = {}) =>
    spec(summary, access, { query: recordQuery, checkQuery, answer: recordAnswer, ...more });
  const answer = (c: Collection, fields: string | undefined, record: Record<string, unknown>) =>
    json(fields ? pickFields(record, compileListQuery(recordTarget(c), { fields }).fields) : record);
  router
    .on(
      "GET",
      base,
      withQuery("List records, filtered and sorted", READ, { query: recordListQuery, answer: pageOf(recordAnswer) }),
      async ({ params, query }) => {
        const c = await getCollection(deps, params.name!);
        return json(
          await listRecords(
            deps,
            c,
            parsePageRequest(query.page, query.perPage),
            new AnswerBudget(deps.config.maxAnswerBytes),
            {
              query,
              skipTotal: query.skipTotal,
            },
          ),
        );
      },
    )
    .on(
      "POST",
      base,
      { ...withQuery("Create a record", WRITE, { body: recordBody }), idempotent: true },
      async ({ req, params, query }) => {
        const c = await getCollection(deps, params.name!);
        return answer(c, query.fields, await createRecord(deps, c, await readJson(req)));
      },
    )
    .on(
      "PATCH",
      `${base}/bulk`,
      spec("Update many records with the same values", WRITE, {
        body: bulkUpdateBody,
        answer: z.object({ updated: z.array(z.string()) }),
        idempotent: true,
      }),
      async ({ req, params }) => {
        const c = await getCollection(deps, params.name!);
        const body = parseWith(bulkUpdateBody, await readJson(req));
        return json({ updated: await bulkUpdateRecords(deps, c, body.ids, body.data) });
      },
    )
    .on(
      "DELETE",
      `${base}/bulk`,
      spec("Delete many records", WRITE, {
        body: bulkDeleteBody,
        answer: z.object({ deleted: z.array(z.string()) }),
        idempotent: true,
      }),
      async ({ req, params }) => {
        const c = await getCollection(deps, params.name!);
        const body = parseWith(bulkDeleteBody, await readJson(req));
        return json({ deleted: await bulkDeleteRecords(deps, c, body.ids) });
      },
    )
    .on("GET", `${base}/:id`, withQuery("Read a record", READ), async ({ params, query }) => {
      const c = await getCollection(deps, params.name!);
      return answer(c, query.fields, await getRecord(deps, c, params.id!));
    })
    .on(
      "PATCH",
      `${base}/:id`,
      withQuery("Update a record", WRITE, { body: recordBody }),
      async ({ req, params, query }) => {
        const c = await getCollection(deps, params.name!);
        return answer(c, query.fields, await updateRecord(deps, c, params.id!, await readJson(req)));
      },
    )
    .on("DELETE", `${base}/:id`, spec("Delete a record", WRITE), async ({ params }) => {
      await deleteRecord(deps, await getCollection(deps, params.name!), params.id!);
      return new Response(null, { status: 204 });
    });
}
