// Sets up the Pothos builder; defines no domain types (those live in one file per feature).
import SchemaBuilder from "@pothos/core";
import ScopeAuthPlugin, { AuthScopeFailureType, type AuthFailure } from "@pothos/plugin-scope-auth";
import { GraphQLError, valueFromASTUntyped } from "graphql";
import { type Access, can } from "../auth/access";
import type { Deps } from "../deps";
import { ForbiddenError } from "../errors";
import type { AnswerBudget } from "../lib/answer_budget";
import { deeperThan, MAX_REQUEST_DEPTH } from "../lib/json_depth";

/**
 * GraphQLContext is what resolvers get: hookd's deps, the request's answer budget
 * (query_limits.ts) and who is calling (`access.actor` names them in change logs).
 */
export type GraphQLContext = Deps & { answer: AnswerBudget; access: Access };

/**
 * builder is the one Pothos builder every feature file adds to. Every root field declares
 * `authScopes: { scope: "<scope>" }` (or a function of its args for scopes narrowed to one
 * collection or webhook; `{ signedIn: true }` for a field any caller may use);
 * test/auth/scopes_graphql.test.ts walks the schema so none goes without.
 */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  Scalars: { JSON: { Input: unknown; Output: unknown } };
  DefaultFieldNullability: false;
  AuthScopes: { scope: string; signedIn: boolean };
}>({
  defaultFieldNullability: false,
  plugins: [ScopeAuthPlugin],
  scopeAuth: {
    // Checked when a subscription starts, not only on each event it would emit.
    authorizeOnSubscribe: true,
    // /graphql turns away requests without a valid token, so every caller here is signed in.
    authScopes: (ctx) => ({ scope: (needed: string) => can(ctx.access, needed), signedIn: true }),
    unauthorizedError: (_parent, _ctx, _info, result) => new ForbiddenError(missingScope(result.failure)),
  },
});

// The scope named in a failed check (the first, when a field asks for several).
function missingScope(failure: AuthFailure): string {
  if (failure.kind === AuthScopeFailureType.AuthScope) return String(failure.parameter);
  if (failure.kind === AuthScopeFailureType.AnyAuthScopes || failure.kind === AuthScopeFailureType.AllAuthScopes)
    return failure.failures.length > 0 ? missingScope(failure.failures[0]!) : "admin";
  return "admin";
}

builder.scalarType("JSON", {
  description: "Any JSON value",
  serialize: (v) => v,
  parseValue: (v) => shallowEnough(v),
  parseLiteral: (ast, variables) => shallowEnough(valueFromASTUntyped(ast, variables)),
});

// The same bound as REST bodies: a value nested 100,000 deep would overflow the stack later.
function shallowEnough(v: unknown): unknown {
  if (deeperThan(v, MAX_REQUEST_DEPTH)) {
    throw new GraphQLError(`nests arrays/objects more than ${MAX_REQUEST_DEPTH} levels deep`, {
      extensions: { code: "VALIDATION", status: 400 },
    });
  }
  return v;
}
builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
