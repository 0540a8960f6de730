import { expect, test } from "bun:test";
import { printSchema } from "graphql";
import { schema } from "../../src/schema";

test("schema.graphql matches the schema built from the code (run `npm run schema` to reprint)", async () => {
  const committed = await Bun.file(`${import.meta.dir}/../../schema.graphql`).text();
  expect(committed).toBe(`${printSchema(schema)}\n`);
});
