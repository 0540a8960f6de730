// GraphQL's side of the one error shape: every error a client gets carries extensions
// {code, status, data}, including graphql-js's parse, validation and variable errors and
// yoga's own request errors, and nothing else — no originalError, no stack.
import type { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";

// Errors raised before hookd's resolvers run, by what graphql-js or yoga called them.
const STATUS_OF: Record<string, number> = {
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
};

/**
 * normaliseError rewrites one error's extensions to {code, status, data}. A request refused
 * before it runs (bad JSON, a parse, validation or variable error) also answers that status
 * over HTTP, through yoga's internal `http` extension, which yoga strips from the answer.
 */
export function normaliseError(error: GraphQLError): void {
  const ext = error.extensions as Record<string, unknown>;
  const http = ext.http as { status?: number } | undefined;
  // A variable that does not fit its type reaches graphql-js's coercion, which gives no code.
  const refused = typeof ext.code !== "string" || ext.code in STATUS_OF;
  const code = typeof ext.code === "string" ? ext.code : "VALIDATION";
  const status = typeof ext.status === "number" ? ext.status : (http?.status ?? STATUS_OF[code] ?? 400);
  const data = ext.data ?? {};
  for (const key of Object.keys(ext)) delete ext[key];
  Object.assign(ext, { code, status, data }, refused ? { http: { status } } : http ? { http } : {});
}

/** errorShapePlugin applies normaliseError to every error of every answer. */
export function errorShapePlugin(): Plugin {
  return {
    onResultProcess({ result }) {
      for (const one of Array.isArray(result) ? result : [result]) {
        const errors = (one as { errors?: readonly GraphQLError[] }).errors;
        for (const error of errors ?? []) if (error.extensions) normaliseError(error);
      }
    },
  };
}
