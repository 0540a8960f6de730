// Target header values (an Authorization for the receiver, say) are secrets: only a caller
// holding secrets:read sees them; everyone else gets every value masked, in REST and GraphQL.
import { type Access, can } from "./access";

/** MASKED_VALUE replaces each header value a caller may not see. */
export const MASKED_VALUE = "••••••••";

/** headersShownTo answers the headers as the caller may see them. */
export function headersShownTo(access: Access, headers: Record<string, string>): Record<string, string> {
  if (can(access, "secrets:read")) return headers;
  return Object.fromEntries(Object.keys(headers).map((name) => [name, MASKED_VALUE]));
}

/** targetShownTo answers a webhook or cron job with its headers as the caller may see them. */
export function targetShownTo<T extends { headers: Record<string, string> | null }>(access: Access, target: T): T {
  return target.headers ? { ...target, headers: headersShownTo(access, target.headers) } : target;
}

/** collectionShownTo answers a collection with its triggers' headers as the caller may see them. */
export function collectionShownTo<C extends { options: { triggers: { headers: Record<string, string> }[] } }>(
  access: Access,
  collection: C,
): C {
  if (can(access, "secrets:read")) return collection;
  const triggers = collection.options.triggers.map((t) => targetShownTo(access, t));
  return { ...collection, options: { ...collection.options, triggers } };
}
