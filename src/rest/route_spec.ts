// What each REST route reads and answers, declared beside the route: the query schema the app
// validates before the handler runs, and the bodies and answers the OpenAPI document describes.
import type { z } from "zod";
import type { FieldErrors } from "../errors";
import type { RouteContext, Router } from "../lib/router";
import type { ApiContext, RouteAccess } from "./api_router";

/** RouteSpec describes one REST route; its zod schemas are the ones requests are validated with. */
export interface RouteSpec {
  summary: string;
  /** Who may call the route: a scope, a scope narrowed by a path parameter, "signed-in" or "public" (api_router.ts). */
  access: RouteAccess;
  /** The group the route is listed under in the OpenAPI document. */
  tag: string;
  /** The query parameters; without it any parameter is refused. */
  query?: z.ZodObject;
  /**
   * Checks of the query that need more than its text (a collection's fields). They run with
   * the values zod could read, so their problems are reported together with zod's.
   */
  checkQuery?: (ctx: RouteContext) => Promise<FieldErrors>;
  body?: z.ZodType;
  /**
   * The 200 answer (shapes in answers.ts); absent for 204 No Content. The OpenAPI document says
   * so, and every answer the test suite's requests get is held against that document.
   */
  answer?: z.ZodType;
  /** wholeList: a list answered whole (no pages), read against HOOKD_MAX_ANSWER_BYTES: a 413 over it (list_params.ts). */
  wholeList?: boolean;
  /** idempotent: an Idempotency-Key header makes repeats answer the first answer (middleware/idempotency.ts). */
  idempotent?: boolean;
  /** The answer's media type when it is not JSON. */
  answerType?: string;
}

/** ApiRouter is the router of hookd's REST API: every route declares its RouteSpec; handlers learn who calls. */
export type ApiRouter = Router<RouteSpec, ApiContext>;
