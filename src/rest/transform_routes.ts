// REST: POST /api/transform/preview, what a transform would make a delivery send (docs/control.md).
import { previewShownTo } from "../auth/header_masking";
import { z } from "zod";
import { requireAnyScope, requireScope, TRANSFORM_SETTERS } from "../auth/access";
import type { Deps } from "../deps";
import { previewTransform } from "../targets/transform_preview";
import { json, readJson, requireObject } from "./respond";
import type { ApiRouter } from "./route_spec";

const previewBody = z.object({
  transform: z.string().describe("A JSONata expression"),
  event: z
    .unknown()
    .optional()
    .describe("The input: { id, action, collection, record, oldRecord, timestamp } for a trigger"),
  logId: z.string().optional().describe("A logged delivery whose payload is the input (needs logs:read)"),
});

const previewAnswer = z.union([
  z.object({
    url: z.string().nullable(),
    method: z.string().nullable(),
    headers: z.record(z.string(), z.string()).nullable(),
    body: z.string().nullable(),
  }),
  z.object({ error: z.object({ message: z.string(), position: z.int().nullable() }) }),
]);

/** addTransformRoutes registers the transform preview. */
export function addTransformRoutes(router: ApiRouter, deps: Deps): void {
  router.on(
    "POST",
    "/api/transform/preview",
    // Those who may set a transform may try one (an evaluation costs CPU and memory: docs/security.md,
    // Transforms); reading a logged delivery needs logs:read as well.
    {
      summary: "Preview what a transform would send (needs collections:write, webhooks:write or cron:write)",
      tag: "logs",
      access: "signed-in",
      body: previewBody,
      answer: previewAnswer,
    },
    async ({ req, access }) => {
      requireAnyScope(access, TRANSFORM_SETTERS);
      const body = requireObject(await readJson(req));
      if (body.logId !== undefined) requireScope(access, "logs:read");
      return json(previewShownTo(deps.atRest, access, await previewTransform(deps.db, body)));
    },
  );
}
