// Sets up the Pothos builder; defines no domain types (those live in one file per feature).
import SchemaBuilder from "@pothos/core";
import { GraphQLError, valueFromASTUntyped } from "graphql";
import type { Deps } from "../deps";
import type { AnswerBudget } from "../lib/answer_budget";
import { deeperThan, MAX_REQUEST_DEPTH } from "../lib/json_depth";

/** GraphQLContext is what resolvers get: hookd's deps and the request's answer budget (query_limits.ts). */
export type GraphQLContext = Deps & { answer: AnswerBudget };

/** builder is the one Pothos builder every feature file adds to. */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  Scalars: { JSON: { Input: unknown; Output: unknown } };
  DefaultFieldNullability: false;
}>({ defaultFieldNullability: false });

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
