// GraphQL: API keys (docs/security.md) — the same actions as /api/keys, and whoami for any caller.
import { type Caller, describeCaller, mintKey, revokeKey } from "../auth/key_actions";
import { type ApiKey, listKeys, type NewApiKey } from "../auth/key_store";
import { builder } from "./builder";
import { withoutNulls } from "./without_nulls";

const ApiKeyRef = builder.objectRef<ApiKey>("ApiKey").implement({
  description: "An API key as listed: never the key itself.",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    scopes: t.exposeStringList("scopes"),
    created: t.exposeString("created"),
    lastUsed: t.exposeString("lastUsed", { nullable: true, description: "Kept to the minute" }),
    expiresAt: t.exposeString("expiresAt", { nullable: true }),
  }),
});

const NewApiKeyRef = builder.objectRef<NewApiKey>("NewApiKey").implement({
  description: "A key just made; `key` is shown this once and cannot be read again.",
  fields: (t) => ({
    key: t.exposeString("key"),
    apiKey: t.field({ type: ApiKeyRef, resolve: ({ key: _key, ...k }) => k }),
  }),
});

const CallerRef = builder.objectRef<Caller>("Caller").implement({
  description: "Who the request's token is: the admin token or one API key, with its scopes.",
  fields: (t) => ({
    id: t.exposeID("id", { description: '"admin" or the key id' }),
    name: t.exposeString("name"),
    scopes: t.exposeStringList("scopes"),
    expiresAt: t.exposeString("expiresAt", { nullable: true }),
  }),
});

const ApiKeyInput = builder.inputType("ApiKeyInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    scopes: t.stringList({ required: true, description: "A key can only give scopes it holds itself" }),
    expiresAt: t.string({ description: "ISO-8601; never expires when absent" }),
  }),
});

builder.queryFields((t) => ({
  apiKeys: t.field({
    authScopes: { scope: "keys:write" },
    type: [ApiKeyRef],
    resolve: (_r, _a, ctx) => listKeys(ctx, ctx.answer),
  }),
  whoami: t.field({
    authScopes: { signedIn: true },
    type: CallerRef,
    description: "The caller's own id and scopes (any valid token may ask)",
    resolve: (_r, _a, ctx) => describeCaller(ctx, ctx.access),
  }),
}));

builder.mutationFields((t) => ({
  createApiKey: t.field({
    authScopes: { scope: "keys:write" },
    type: NewApiKeyRef,
    args: { input: t.arg({ type: ApiKeyInput, required: true }) },
    resolve: (_r, { input }, ctx) => mintKey(ctx, ctx.access, withoutNulls(input)),
  }),
  deleteApiKey: t.field({
    authScopes: { scope: "keys:write" },
    type: ApiKeyRef,
    description: "Revoke a key: refused at once here, and by other instances within HOOKD_POLL_MS",
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => revokeKey(ctx, ctx.access, String(id)),
  }),
}));
