// A small JSON Schema (2020-12) check for the subset z.toJSONSchema writes into hookd's OpenAPI
// document: $ref into components, type, enum, const, properties, required,
// additionalProperties, items, anyOf/oneOf/allOf, minimum/maximum, pattern. Enough to hold
// real answers against the document without a validator dependency.
type Schema = Record<string, any>;

/** schemaProblems lists where value breaks schema ("" when it fits); refs resolve against root's components. */
export function schemaProblems(value: unknown, schema: Schema, root: Schema, path = "$"): string[] {
  if (schema.$ref) {
    const name = String(schema.$ref).replace("#/components/schemas/", "");
    const target = root.components?.schemas?.[name];
    if (!target) return [`${path}: unresolved ${schema.$ref}`];
    return schemaProblems(value, target, root, path);
  }
  const problems: string[] = [];
  const fail = (why: string) => problems.push(`${path}: ${why} (got ${JSON.stringify(value)?.slice(0, 80)})`);
  if (schema.anyOf && !schema.anyOf.some((s: Schema) => schemaProblems(value, s, root, path).length === 0))
    fail("matches none of anyOf");
  if (
    schema.oneOf &&
    schema.oneOf.filter((s: Schema) => schemaProblems(value, s, root, path).length === 0).length !== 1
  )
    fail("does not match exactly one of oneOf");
  for (const s of schema.allOf ?? []) problems.push(...schemaProblems(value, s, root, path));
  if (schema.enum && !schema.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(value)))
    fail("not in enum");
  if ("const" in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) fail("not the const");
  if (schema.type && !typesOf(value).some((t) => [schema.type].flat().includes(t))) {
    fail(`not of type ${schema.type}`);
    return problems;
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) fail(`below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) fail(`above ${schema.maximum}`);
  }
  if (typeof value === "string" && schema.pattern && !new RegExp(schema.pattern, "u").test(value)) fail("pattern");
  if (Array.isArray(value) && schema.items)
    for (const [i, v] of value.entries()) problems.push(...schemaProblems(v, schema.items, root, `${path}[${i}]`));
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in obj)) fail(`misses required ${key}`);
    for (const [key, v] of Object.entries(obj)) {
      const own = schema.properties?.[key];
      if (own) problems.push(...schemaProblems(v, own, root, `${path}.${key}`));
      else if (schema.additionalProperties === false) fail(`has ${key}, which the schema does not list`);
      else if (typeof schema.additionalProperties === "object")
        problems.push(...schemaProblems(v, schema.additionalProperties, root, `${path}.${key}`));
    }
  }
  return problems;
}

function typesOf(value: unknown): string[] {
  if (value === null) return ["null"];
  if (Array.isArray(value)) return ["array"];
  if (typeof value === "number") return Number.isInteger(value) ? ["integer", "number"] : ["number"];
  return [typeof value];
}
