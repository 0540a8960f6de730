// GraphQL fields for the request settings that Webhook and CronJob share (and their inputs).
import { headersShownTo } from "../auth/header_masking";
import type { RequestSettings } from "../targets/request_settings";
import type { builder } from "./builder";
import { HttpMethod } from "./enums";

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** requestSettingsOutputFields defines method … active on an object type whose parent has RequestSettings. */
export function requestSettingsOutputFields<Parent extends RequestSettings>(
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, Parent>,
) {
  return {
    method: t.field({ type: HttpMethod, resolve: (s) => s.method }),
    headers: t.field({
      type: "JSON",
      description: "Values are masked unless the caller holds secrets:read",
      resolve: (s, _a, ctx) => headersShownTo(ctx.atRest, ctx.access, s.headers),
    }),
    body: t.string({
      nullable: true,
      description: "The request body as sent, already encoded",
      resolve: (s) => s.body,
    }),
    contentType: t.string({ resolve: (s) => s.contentType }),
    retryLimit: t.int({
      nullable: true,
      description: "Attempts in all; null: as many as the retry schedule lists, plus the first",
      resolve: (s) => s.retryLimit,
    }),
    retrySchedule: t.stringList({
      nullable: true,
      description: "Wait before each retry (5s, 5m, 2h…); null: the server's HOOKD_RETRY_SCHEDULE",
      resolve: (s) => s.retrySchedule,
    }),
    jwtEnabled: t.boolean({ resolve: (s) => s.jwtEnabled }),
    timeoutMs: t.int({ resolve: (s) => s.timeoutMs }),
    active: t.boolean({ resolve: (s) => s.active }),
    ...controlOutputFields(t),
  };
}

/** controlOutputFields defines transform, rateLimit and maxInFlight (docs/control.md) on a target type. */
export function controlOutputFields<
  Parent extends { transform?: string | null; rateLimit?: number | null; maxInFlight?: number | null },
>(t: PothosSchemaTypes.ObjectFieldBuilder<Types, Parent>) {
  return {
    transform: t.string({
      nullable: true,
      description: "A JSONata expression whose result is the body sent; null: the event as is",
      resolve: (s) => s.transform ?? null,
    }),
    rateLimit: t.float({
      nullable: true,
      description: "Deliveries per second, over every instance; null: no limit",
      resolve: (s) => s.rateLimit ?? null,
    }),
    maxInFlight: t.int({
      nullable: true,
      description: "Attempts under way at once, over every instance; null: no limit",
      resolve: (s) => s.maxInFlight ?? null,
    }),
  };
}

/** controlInputFields are the same three on an input type. */
export function controlInputFields(t: PothosSchemaTypes.InputFieldBuilder<Types, "InputObject">) {
  return {
    transform: t.string({ description: "A JSONata expression (docs/control.md); empty removes it" }),
    rateLimit: t.float({ description: "Deliveries per second" }),
    maxInFlight: t.int({ description: "Attempts under way at once" }),
  };
}

/** requestSettingsInputFields defines the same settings on an input type, all optional. */
export function requestSettingsInputFields(t: PothosSchemaTypes.InputFieldBuilder<Types, "InputObject">) {
  return {
    method: t.field({ type: HttpMethod }),
    headers: t.field({ type: "JSON" }),
    body: t.field({
      type: "JSON",
      description: "A string is sent as is; another JSON value is encoded for contentType",
    }),
    contentType: t.string({ description: "json, text, form or a MIME type" }),
    retryLimit: t.int(),
    retrySchedule: t.stringList({ description: 'Wait before each retry, e.g. ["5s", "5m", "30m"]' }),
    jwtEnabled: t.boolean(),
    timeoutMs: t.int(),
    active: t.boolean(),
    paused: t.boolean({ description: "Absent keeps the stored value; false also enables a disabled target" }),
    secret: t.string({ description: "A whsec_ signing secret to use from now on; generated on create when absent" }),
    ...controlInputFields(t),
  };
}
