// The query parameters PocketBase clients send to a listing (getList, getFullList, getOne),
// shared by records and collections. Each one is read, none ignored: expand is accepted only
// empty, since a relation field holds a bare id that hookd does not expand.
import { z } from "zod";
import { PAGE_QUERY } from "../lib/page";
import { AnswerBudget } from "../lib/answer_budget";

const booleanParam = z
  .enum(["true", "false", "1", "0"], { error: "must be true, false, 1 or 0" })
  .transform((v) => v === "true" || v === "1");

/** ITEM_QUERY are the parameters of a single item's answer (get, create, update). */
export const ITEM_QUERY = {
  fields: z.string().optional().describe("Comma-separated keys to answer (id,title); * or absent answers every key"),
  expand: z
    .string()
    .optional()
    .describe("Accepted for PocketBase clients and ignored: relation fields hold a record id, never expanded"),
};

/** LIST_QUERY are a listing's page, filter, sort, fields and skipTotal. */
export const LIST_QUERY = {
  ...PAGE_QUERY,
  filter: z
    .string()
    .optional()
    .describe("A condition in the grammar of trigger conditions, without old.: (status='draft' && views>10)"),
  sort: z.string().optional().describe("Comma-separated fields, - for descending: -created,title"),
  skipTotal: booleanParam
    .optional()
    .describe("true: do not count; totalItems and totalPages answer -1 (PocketBase's skipTotal)"),
  ...ITEM_QUERY,
};

/** wholeListBudget is the answer budget of a list answered whole (webhooks, cron jobs), which has no page to make smaller. */
export function wholeListBudget(deps: { config: { maxAnswerBytes: number } }): AnswerBudget {
  return new AnswerBudget(
    deps.config.maxAnswerBytes,
    "this list is answered whole, without pages: remove or shrink some of its items, or raise the limit",
  );
}
