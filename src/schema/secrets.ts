// GraphQL: reading and rotating signing secrets of triggers, webhooks and cron jobs.
import { rotateTargetSecret, targetSecret, type TargetRef } from "../secrets/target_ref";
import { builder } from "./builder";

const SigningSecretRef = builder.objectRef<{ key: string }>("SigningSecret").implement({
  description: "A Standard Webhooks signing secret: whsec_ + base64 of the key bytes.",
  fields: (t) => ({ key: t.exposeString("key") }),
});

builder.queryFields((t) => ({
  triggerSecret: t.field({
    authScopes: { scope: "secrets:read" },
    type: SigningSecretRef,
    args: { collection: t.arg.string({ required: true }), id: t.arg.string({ required: true }) },
    resolve: (_r, { collection, id }, deps) => targetSecret(deps, { kind: "trigger", collection, id }),
  }),
  webhookSecret: t.field({
    authScopes: { scope: "secrets:read" },
    type: SigningSecretRef,
    args: { name: t.arg.string({ required: true }) },
    resolve: (_r, { name }, deps) => targetSecret(deps, { kind: "webhook", name }),
  }),
  cronJobSecret: t.field({
    authScopes: { scope: "secrets:read" },
    type: SigningSecretRef,
    args: { name: t.arg.string({ required: true }) },
    resolve: (_r, { name }, deps) => targetSecret(deps, { kind: "cron", name }),
  }),
}));

function rotate(
  deps: Parameters<typeof rotateTargetSecret>[0],
  ref: TargetRef,
  args: { key?: string | null; gracePeriodSeconds?: number | null },
) {
  return rotateTargetSecret(deps, ref, {
    key: args.key ?? undefined,
    gracePeriodSeconds: args.gracePeriodSeconds ?? undefined,
  });
}

const KEY_HELP = "The new whsec_ secret; generated when absent";
const GRACE_HELP = "How long the old secret keeps signing beside the new one: default 86400, at most 604800";

builder.mutationFields((t) => {
  const rotateArgs = (b: typeof t) => ({
    key: b.arg.string({ description: KEY_HELP }),
    gracePeriodSeconds: b.arg.int({ description: GRACE_HELP }),
  });
  return {
    rotateTriggerSecret: t.field({
      authScopes: { scope: "secrets:read" },
      type: SigningSecretRef,
      args: { collection: t.arg.string({ required: true }), id: t.arg.string({ required: true }), ...rotateArgs(t) },
      resolve: (_r, { collection, id, ...args }, deps) => rotate(deps, { kind: "trigger", collection, id }, args),
    }),
    rotateWebhookSecret: t.field({
      authScopes: { scope: "secrets:read" },
      type: SigningSecretRef,
      args: { name: t.arg.string({ required: true }), ...rotateArgs(t) },
      resolve: (_r, { name, ...args }, deps) => rotate(deps, { kind: "webhook", name }, args),
    }),
    rotateCronJobSecret: t.field({
      authScopes: { scope: "secrets:read" },
      type: SigningSecretRef,
      args: { name: t.arg.string({ required: true }), ...rotateArgs(t) },
      resolve: (_r, { name, ...args }, deps) => rotate(deps, { kind: "cron", name }, args),
    }),
  };
});
