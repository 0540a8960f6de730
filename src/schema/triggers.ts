// GraphQL: one trigger at a time (docs/control.md), beside the collection-level trigger list.
import { addTrigger, deleteTrigger, getTrigger, patchTrigger } from "../collections/trigger_one";
import { builder } from "./builder";
import { TriggerInput, TriggerRef } from "./trigger_types";
import { HttpMethod, RecordAction } from "./enums";
import { controlInputFields } from "./request_settings_fields";
import { withoutNulls } from "./without_nulls";

const TriggerPatch = builder.inputType("TriggerPatch", {
  description: "The keys to change; the keys left out (or null) keep their value.",
  fields: (t) => ({
    action: t.field({ type: RecordAction }),
    url: t.string(),
    method: t.field({ type: HttpMethod }),
    headers: t.field({ type: "JSON" }),
    retryLimit: t.int(),
    retrySchedule: t.stringList(),
    jwtEnabled: t.boolean(),
    timeoutMs: t.int(),
    active: t.boolean(),
    paused: t.boolean({ description: "false also enables a disabled trigger" }),
    secret: t.string({ description: "A whsec_ signing secret to sign with from now on" }),
    condition: t.string(),
    columns: t.stringList(),
    orderingKey: t.string(),
    ...controlInputFields(t),
  }),
});

builder.queryField("trigger", (t) =>
  t.field({
    authScopes: { scope: "collections:read" },
    type: TriggerRef,
    args: { collection: t.arg.string({ required: true }), id: t.arg.string({ required: true }) },
    resolve: (_r, { collection, id }, deps) => getTrigger(deps, collection, id),
  }),
);

builder.mutationFields((t) => ({
  addTrigger: t.field({
    authScopes: { scope: "collections:write" },
    type: TriggerRef,
    description: "Add one trigger to a collection; the others are left as they are.",
    args: { collection: t.arg.string({ required: true }), input: t.arg({ type: TriggerInput, required: true }) },
    resolve: (_r, { collection, input }, deps) => addTrigger(deps, collection, withoutNulls(input)),
  }),
  updateTrigger: t.field({
    authScopes: { scope: "collections:write" },
    type: TriggerRef,
    description: "Change one trigger: the keys given replace theirs, the others keep their value.",
    args: {
      collection: t.arg.string({ required: true }),
      id: t.arg.string({ required: true }),
      input: t.arg({ type: TriggerPatch, required: true }),
    },
    resolve: (_r, { collection, id, input }, deps) => patchTrigger(deps, collection, id, withoutNulls(input)),
  }),
  deleteTrigger: t.boolean({
    authScopes: { scope: "collections:write" },
    description: "Delete one trigger; its held deliveries end as failed.",
    args: { collection: t.arg.string({ required: true }), id: t.arg.string({ required: true }) },
    resolve: async (_r, { collection, id }, deps) => {
      await deleteTrigger(deps, collection, id);
      return true;
    },
  }),
}));
