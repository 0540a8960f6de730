// How big a GraphQL answer can get, from the query and its variables alone: every field is
// answered once per item of each paged list above it, and a paged list (a field with a
// perPage argument) holds up to perPage items. Armor's cost limit only knows first/last
// arguments, so 1,000 aliases of records(perPage: 500) looked cheap to it. A list without
// perPage (webhooks, cronJobs, a log's attempts) counts as one item: the byte cap bounds those.
import {
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import { PAGE_DEFAULTS } from "../lib/page";

/** pagedFieldNames lists the names of the schema's fields that take a perPage argument. */
export function pagedFieldNames(schema: GraphQLSchema): Set<string> {
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields()))
      if (field.args.some((a) => a.name === "perPage")) names.add(field.name);
  }
  return names;
}

/** estimateAnswerValues answers how many values (fields × the list items they repeat in) the operation may answer at most. */
export function estimateAnswerValues(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  pagedFields: ReadonlySet<string>,
): number {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation) return 0;
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const vars = variables ?? {};

  // Validation has already refused fragment cycles; `seen` only guards against a document that skipped it.
  const count = (set: SelectionSetNode, factor: number, seen: Set<string>): number => {
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const perPage = sel.arguments?.find((a) => a.name.value === "perPage")?.value;
        const inner = pagedFields.has(sel.name.value) ? factor * pageSize(perPage, vars) : factor;
        total += factor + (sel.selectionSet ? count(sel.selectionSet, inner, seen) : 0);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        total += count(sel.selectionSet, factor, seen);
      } else {
        const fragment = fragments.get(sel.name.value);
        if (fragment && !seen.has(fragment.name.value))
          total += count(fragment.selectionSet, factor, new Set([...seen, fragment.name.value]));
      }
    }
    return total;
  };
  return count(operation.selectionSet, 1, new Set());
}

// As many items as perPage asks (a literal or a variable), the default when it is absent.
function pageSize(value: ValueNode | undefined, vars: Record<string, unknown>): number {
  const raw =
    value === undefined
      ? undefined
      : value.kind === Kind.VARIABLE
        ? vars[value.name.value]
        : value.kind === Kind.INT
          ? value.value
          : undefined;
  const n = Number(raw ?? PAGE_DEFAULTS.perPage);
  return Number.isFinite(n) && n >= 1 ? Math.min(Math.floor(n), PAGE_DEFAULTS.max) : PAGE_DEFAULTS.perPage;
}
