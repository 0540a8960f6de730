// Every GraphQL root field, as the schema lists them (so a field added without authScopes
// fails here): a key holding every scope but the field's gets a FORBIDDEN error naming it; a
// key holding only that scope gets past the check. Queries and mutations go over HTTP;
// subscriptions through graphql's subscribe, which answers the refusal before any event.
import { afterAll, describe, expect, test } from "bun:test";
import {
  type GraphQLError,
  type GraphQLField,
  type GraphQLInputType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  parse,
  subscribe,
} from "graphql";
import { schema } from "../../src/schema";
import { maskError } from "../../src/schema/mask_error";
import { bearer, everyScopeBut, mintKeyFor } from "../support/keys";
import { makeTestApp } from "../support/test_app";

const t = await makeTestApp();
afterAll(() => t.deps.db.close());

// A value of the type for every required argument: "posts" for names and collections.
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type));
    return Object.fromEntries(fields.map((f) => [f.name, sample(f.type)]));
  }
  if (isScalarType(type)) return { Int: 1, Float: 1, Boolean: true, JSON: {} }[type.name] ?? "posts";
  throw new Error(`no sample for ${String(type)}`);
}

type Declared = { scope?: string; signedIn?: boolean } | ((parent: unknown, args: object) => { scope?: string });
type RootField = { operation: "query" | "mutation" | "subscription"; field: GraphQLField<unknown, unknown> };

const ROOT_FIELDS: RootField[] = (["query", "mutation", "subscription"] as const).flatMap((operation) => {
  const type = {
    query: schema.getQueryType(),
    mutation: schema.getMutationType(),
    subscription: schema.getSubscriptionType(),
  }[operation];
  return Object.values(type?.getFields() ?? {}).map((field) => ({ operation, field }));
});

function requestFor({ operation, field }: RootField) {
  const args = field.args.filter((a) => isNonNullType(a.type));
  const params = args.map((a) => `$${a.name}: ${String(a.type)}`).join(", ");
  const call = args.length ? `(${args.map((a) => `${a.name}: $${a.name}`).join(", ")})` : "";
  const selection = isObjectType(getNamedType(field.type)) ? " { __typename }" : "";
  const query = `${operation}${params ? `(${params})` : ""} { ${field.name}${call}${selection} }`;
  const variables = Object.fromEntries(args.map((a) => [a.name, sample(a.type)]));
  return { query, variables };
}

async function errorsFor(root: RootField, key: string): Promise<{ code?: string; message: string }[]> {
  const { query, variables } = requestFor(root);
  if (root.operation === "subscription") {
    const access = await t.deps.auth.authenticate(key);
    const result = await subscribe({
      schema,
      document: parse(query),
      variableValues: variables,
      contextValue: { ...t.deps, access },
    });
    if (Symbol.asyncIterator in result) {
      await result.return?.();
      return [];
    }
    // yoga maps errors through maskError before a client sees them; so does this.
    return (result.errors ?? []).map((e) => {
      const shown = maskError(e, "masked") as GraphQLError;
      return { code: shown.extensions?.code as string, message: shown.message };
    });
  }
  const res = await t.request("POST", "/graphql", { query, variables }, bearer(key));
  return (res.body.errors ?? []).map((e: any) => ({ code: e.extensions?.code, message: e.message }));
}

// Fields open to any signed-in caller whose resolver asks for any one of several scopes (the preview: one that may set a transform).
const ONE_OF: Record<string, string[]> = { previewTransform: ["webhooks:write"] };

test("the schema has root fields in every operation", () => {
  expect(ROOT_FIELDS.filter((f) => f.operation === "query").length).toBeGreaterThan(10);
  expect(ROOT_FIELDS.filter((f) => f.operation === "mutation").length).toBeGreaterThan(10);
  expect(ROOT_FIELDS.filter((f) => f.operation === "subscription").length).toBeGreaterThan(0);
});

describe.each(ROOT_FIELDS.map((f) => [`${f.operation} ${f.field.name}`, f] as const))("%s", (_name, root) => {
  const declared = (root.field.extensions as { pothosOptions?: { authScopes?: Declared } }).pothosOptions?.authScopes;

  test("declares its scope", () => expect(declared).toBeDefined());
  if (!declared) return;
  const { variables } = requestFor(root);
  const scope = (typeof declared === "function" ? declared(null, variables) : declared).scope;

  if (scope === undefined) {
    test("answers any key, whatever its scopes (beside one of those its resolver asks for)", async () => {
      const errors = await errorsFor(root, await mintKeyFor(t, ["metrics:read", ...(ONE_OF[root.field.name] ?? [])]));
      expect(errors.filter((e) => e.code === "FORBIDDEN")).toEqual([]);
    });
    return;
  }

  test(`refuses a key without ${scope} with FORBIDDEN naming it`, async () => {
    const errors = await errorsFor(root, await mintKeyFor(t, everyScopeBut(scope)));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe("FORBIDDEN");
    expect(errors[0]!.message).toContain(scope);
  });

  test(`lets a key holding only ${scope} through`, async () => {
    const errors = await errorsFor(root, await mintKeyFor(t, [scope]));
    expect(errors.filter((e) => e.code === "FORBIDDEN" || e.code === "UNAUTHORIZED")).toEqual([]);
  });
});
