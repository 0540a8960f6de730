// Sets up the Pothos builder; defines no domain types (those live in one file per feature).
import SchemaBuilder from "@pothos/core";
import { valueFromASTUntyped } from "graphql";
import type { Deps } from "../deps";

/** builder is the one Pothos builder every feature file adds to. */
export const builder = new SchemaBuilder<{
  Context: Deps;
  Scalars: { JSON: { Input: unknown; Output: unknown } };
  DefaultFieldNullability: false;
}>({ defaultFieldNullability: false });

builder.scalarType("JSON", {
  description: "Any JSON value",
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});
builder.queryType({});
builder.mutationType({});
