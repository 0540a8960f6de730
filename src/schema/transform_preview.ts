// GraphQL: previewTransform, what a transform would make a delivery send (docs/control.md).
import { previewShownTo } from "../auth/header_masking";
import { requireAnyScope, requireScope, TRANSFORM_SETTERS } from "../auth/access";
import { previewTransform, type Preview } from "../targets/transform_preview";
import { builder } from "./builder";

const PreviewRef = builder.objectRef<Preview>("TransformPreview").implement({
  description: "The request a transform makes, or its error; url, method and headers are known only from a logId.",
  fields: (t) => ({
    url: t.string({ nullable: true, resolve: (p) => ("url" in p ? p.url : null) }),
    method: t.string({ nullable: true, resolve: (p) => ("method" in p ? p.method : null) }),
    headers: t.field({ type: "JSON", nullable: true, resolve: (p) => ("headers" in p ? p.headers : null) }),
    body: t.string({ nullable: true, description: "The body sent", resolve: (p) => ("body" in p ? p.body : null) }),
    error: t.string({
      nullable: true,
      description: "The run-time error, with its position",
      resolve: (p) => ("error" in p ? p.error.message : null),
    }),
    errorPosition: t.int({ nullable: true, resolve: (p) => ("error" in p ? p.error.position : null) }),
  }),
});

builder.queryField("previewTransform", (t) =>
  t.field({
    authScopes: { signedIn: true },
    type: PreviewRef,
    description:
      "Evaluate a JSONata transform over an event, or over a logged delivery's payload (needs logs:read). Needs collections:write, webhooks:write or cron:write.",
    args: {
      transform: t.arg.string({ required: true }),
      event: t.arg({ type: "JSON" }),
      logId: t.arg.id(),
    },
    resolve: async (_r, args, deps) => {
      requireAnyScope(deps.access, TRANSFORM_SETTERS);
      if (args.logId != null) requireScope(deps.access, "logs:read");
      const preview = await previewTransform(deps.db, {
        transform: args.transform,
        event: args.event ?? undefined,
        logId: args.logId == null ? undefined : String(args.logId),
      });
      return previewShownTo(deps.atRest, deps.access, preview);
    },
  }),
);
