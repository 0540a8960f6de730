// The OpenAPI 3.1 document of the REST API, generated from the routes' RouteSpecs: the same
// zod schemas that validate queries and bodies describe them here (z.toJSONSchema), so the
// document cannot drift from what the server accepts. Answers come from rest/answers.ts.
import { z } from "zod";
import type { Route } from "../lib/router";
import { VERSION } from "../version";
import type { ApiContext } from "./api_router";
import { errorAnswer } from "./answers";
import type { RouteSpec } from "./route_spec";

type JsonSchema = Record<string, unknown>;

type SchemaOf = (schema: z.ZodType, io: "input" | "output") => JsonSchema;

/** schemaWriter converts zod schemas; those given an id with .meta({ id }) are kept once, in `components`. */
function schemaWriter(components: Record<string, JsonSchema>): SchemaOf {
  return (schema, io) => {
    const json = z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" });
    const text = JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/');
    const { $schema: _, $defs, ...rest } = JSON.parse(text) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    Object.assign(components, $defs);
    return rest;
  };
}

// The errors every route can answer, and those only some can.
const ERRORS: Record<string, string> = {
  "400": "The request is invalid: data names each bad parameter or field",
  "401": "No valid key or admin token",
  "403": "The key lacks the scope the route needs",
  "404": "Not found",
  "409": "A duplicate, or a change the current state forbids (or a definition changed meanwhile: send again)",
  "413": "The body is larger than 1 MiB, or the answer (a page, or a list answered whole) over HOOKD_MAX_ANSWER_BYTES",
  "415": "The body is not application/json",
  "503": "The database does not answer",
};

// Routes that declare `idempotent` take the header (middleware/idempotency.ts).
const IDEMPOTENCY_KEY_PARAMETER = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "Runs the request once per key (kept 24 h, per caller): the same key with the same request answers the first answer again (Idempotent-Replayed: true); with another request, a 409 IDEMPOTENCY_CONFLICT",
  schema: { type: "string", minLength: 1, maxLength: 255 },
};

function operation(route: Route<RouteSpec, ApiContext>, toSchema: SchemaOf): JsonSchema {
  const spec = route.meta;
  const pathParams = route.parts.filter((p) => p.startsWith(":")).map((p) => p.slice(1));
  const queryShape = spec.query?.shape ?? {};
  const parameters = [
    ...pathParams.map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })),
    ...Object.entries(queryShape).map(([name, schema]) => {
      const json = toSchema(schema as z.ZodType, "input");
      const { description, ...rest } = json;
      return {
        name,
        in: "query",
        required: !(schema as z.ZodType).safeParse(undefined).success,
        description,
        schema: rest,
      };
    }),
    ...(spec.idempotent ? [IDEMPOTENCY_KEY_PARAMETER] : []),
  ];
  const media = spec.answerType ?? "application/json";
  const answered = spec.answer ?? (spec.answerType ? z.string().describe("The file's bytes") : undefined);
  const ok = answered
    ? { "200": { description: "OK", content: { [media]: { schema: toSchema(answered, "output") } } } }
    : { "204": { description: "Done; no content" } };
  const applies: Record<string, boolean> = {
    "401": spec.access !== "public",
    "403": spec.access !== "public",
    "409": route.method !== "GET",
    // A body has a size limit; a page or a list answered whole has HOOKD_MAX_ANSWER_BYTES.
    "413": Boolean(spec.body) || "perPage" in queryShape || spec.wholeList === true,
    "415": Boolean(spec.body),
  };
  const errorCodes = Object.keys(ERRORS).filter((code) => applies[code] ?? true);
  return {
    operationId: operationId(route.method, route.pattern),
    summary: spec.summary,
    tags: [spec.tag],
    ...(spec.access === "public" ? { security: [] } : { "x-hookd-access": spec.access }),
    ...(parameters.length ? { parameters } : {}),
    ...(spec.body
      ? { requestBody: { required: true, content: { "application/json": { schema: toSchema(spec.body, "input") } } } }
      : {}),
    responses: {
      ...ok,
      ...Object.fromEntries(
        errorCodes.map((code) => [
          code,
          {
            description: ERRORS[code],
            content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
          },
        ]),
      ),
    },
  };
}

function operationId(method: string, pattern: string): string {
  const words = pattern
    .split("/")
    .filter((p) => p && p !== "api")
    .map((p) => (p.startsWith(":") ? `by-${p.slice(1)}` : p));
  return [method.toLowerCase(), ...words].join("-").replace(/[^A-Za-z0-9]+(.)/g, (_, c: string) => c.toUpperCase());
}

/** openApiDocument builds the OpenAPI 3.1 document of the given routes. */
export function openApiDocument(routes: readonly Route<RouteSpec, ApiContext>[]): JsonSchema {
  const components: Record<string, JsonSchema> = {};
  const toSchema = schemaWriter(components);
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = route.pattern.replace(/:(\w+)/g, "{$1}");
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route, toSchema);
  }
  // A root schema with an id comes out as a $ref to its own entry in $defs, which toSchema keeps.
  const error = toSchema(errorAnswer, "output");
  if (!error.$ref) components.Error = error;
  return {
    openapi: "3.1.0",
    info: {
      title: "hookd",
      version: VERSION,
      description:
        "hookd's REST API. Every error answers {status, code, message, data}. GraphQL is at /graphql (GraphiQL in a browser).",
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    tags: [...new Set(routes.map((r) => r.meta.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API key (hk_…) or the admin token" },
        apiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
      },
    },
  };
}
