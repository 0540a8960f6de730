// Reprints schema.graphql from the code; test/schema/schema_sync.test.ts fails when they differ.
import { printSchema } from "graphql";
import { schema } from "../src/schema";

await Bun.write("schema.graphql", `${printSchema(schema)}\n`);
console.log("wrote schema.graphql");
