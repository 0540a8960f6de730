// REST: records of a collection, including VSKI's bulk update and delete.
import { z } from "zod";
import { getCollection } from "../collections/collection_store";
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
import type { ApiRouter } from "./api_router";
import { parsePageRequest } from "../lib/page";
import { parseWith } from "../lib/zod_errors";
import { json, readJson } from "./respond";

const idList = z
  .array(z.string({ error: "ids must be strings" }).min(1), { error: "must be a list of record ids" })
  .max(10_000, "at most 10000 ids at once");
const bulkUpdateBody = z.object(
  { ids: idList, data: z.record(z.string(), z.unknown(), { error: "must be an object of field values" }) },
  { error: "must be an object {ids, data}" },
);
const bulkDeleteBody = z.object({ ids: idList }, { error: "must be an object {ids}" });

// A key may hold records:read or records:write for every collection or for one (`records:read:posts`).
const READ = { scope: "records:read", per: "name" } as const;
const WRITE = { scope: "records:write", per: "name" } as const;

/** addRecordRoutes registers the record endpoints; bulk routes come before :id so they win. */
export function addRecordRoutes(router: ApiRouter, deps: Deps): void {
  const base = "/api/collections/:name/records";
  router
    .on("GET", base, READ, async ({ params, url }) => {
      const c = await getCollection(deps, params.name!);
      const q = url.searchParams;
      return json(await listRecords(deps, c, parsePageRequest(q.get("page"), q.get("perPage")), q.get("sort")));
    })
    .on("POST", base, WRITE, async ({ req, params }) => {
      const c = await getCollection(deps, params.name!);
      return json(await createRecord(deps, c, await readJson(req)));
    })
    .on("PATCH", `${base}/bulk`, WRITE, async ({ req, params }) => {
      const c = await getCollection(deps, params.name!);
      const body = parseWith(bulkUpdateBody, await readJson(req));
      return json({ updated: await bulkUpdateRecords(deps, c, body.ids, body.data) });
    })
    .on("DELETE", `${base}/bulk`, WRITE, async ({ req, params }) => {
      const c = await getCollection(deps, params.name!);
      const body = parseWith(bulkDeleteBody, await readJson(req));
      return json({ deleted: await bulkDeleteRecords(deps, c, body.ids) });
    })
    .on("GET", `${base}/:id`, READ, async ({ params }) =>
      json(await getRecord(deps, await getCollection(deps, params.name!), params.id!)),
    )
    .on("PATCH", `${base}/:id`, WRITE, async ({ req, params }) => {
      const c = await getCollection(deps, params.name!);
      return json(await updateRecord(deps, c, params.id!, await readJson(req)));
    })
    .on("DELETE", `${base}/:id`, WRITE, async ({ params }) => {
      await deleteRecord(deps, await getCollection(deps, params.name!), params.id!);
      return new Response(null, { status: 204 });
    });
}
