// GraphQL's side of the one error mapping: an AppError keeps its message and carries its
// code in extensions; anything else is masked.
import { GraphQLError } from "graphql";
import { AppError } from "../errors";

/**
 * maskError is yoga's maskedErrors.maskError: AppErrors pass with extensions.code, the rest is
 * hidden. toClientError may turn an error into an AppError first (a database fault into a 503);
 * onUnexpected hears what is hidden.
 */
export function maskError(
  error: unknown,
  message: string,
  toClientError: (err: unknown) => unknown = (err) => err,
  onUnexpected: (err: unknown) => void = () => {},
): Error {
  const thrown = error instanceof GraphQLError ? error.originalError : error;
  const original = thrown === undefined ? thrown : toClientError(thrown);
  if (original instanceof AppError) {
    return new GraphQLError(original.message, {
      nodes: error instanceof GraphQLError ? error.nodes : undefined,
      path: error instanceof GraphQLError ? error.path : undefined,
      extensions: { code: original.code, status: original.status, data: original.data },
    });
  }
  if (isRequestError(error)) return error;
  onUnexpected(thrown ?? error);
  return new GraphQLError(message, { extensions: { code: "INTERNAL", status: 500 } });
}

// Parse, validation and variable-coercion errors are for the client; graphql-js wraps the
// last as a GraphQLError whose originalError is again a GraphQLError.
function isRequestError(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && (!error.originalError || isRequestError(error.originalError));
}
