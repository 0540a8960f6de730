// Target header values (an Authorization for the receiver, say) are secrets: only a caller
// holding secrets:read sees them (opened, when stored sealed); everyone else gets every value
// masked, in REST and GraphQL.
import { openHeaders } from "./header_sealing";
import { type Access, can } from "./access";
import type { AtRest } from "./at_rest";

/** MASKED_VALUE replaces each header value a caller may not see. */
export const MASKED_VALUE = "••••••••";

/** headersShownTo answers the headers as the caller may see them. */
export function headersShownTo(
  atRest: AtRest,
  access: Access,
  headers: Record<string, string>,
): Record<string, string> {
  if (can(access, "secrets:read")) return openHeaders(atRest, headers);
  return Object.fromEntries(Object.keys(headers).map((name) => [name, MASKED_VALUE]));
}

/** targetShownTo answers a webhook or cron job with its headers as the caller may see them. */
export function targetShownTo<T extends { headers: Record<string, string> | null }>(
  atRest: AtRest,
  access: Access,
  target: T,
): T {
  return target.headers ? { ...target, headers: headersShownTo(atRest, access, target.headers) } : target;
}

/** collectionShownTo answers a collection with its triggers' headers as the caller may see them. */
export function collectionShownTo<C extends { options: { triggers: { headers: Record<string, string> }[] } }>(
  atRest: AtRest,
  access: Access,
  collection: C,
): C {
  const triggers = collection.options.triggers.map((t) => targetShownTo(atRest, access, t));
  return { ...collection, options: { ...collection.options, triggers } };
}

/**
 * keepMaskedHeaders answers sent headers with each value still MASKED_VALUE replaced by the stored
 * value of that header, so a caller who read a target masked can send it back changed elsewhere.
 * Anything that is not a headers object is answered as it is, for validation to judge.
 */
export function keepMaskedHeaders(sent: unknown, stored: Record<string, string> | undefined): unknown {
  if (!stored || typeof sent !== "object" || sent === null || Array.isArray(sent)) return sent;
  return Object.fromEntries(
    Object.entries(sent).map(([name, value]) => [
      name,
      value === MASKED_VALUE && name in stored ? stored[name] : value,
    ]),
  );
}

type TriggerLike = { id?: unknown; headers?: unknown };

/** keepMaskedTriggerHeaders does keepMaskedHeaders for each sent trigger whose id names a stored one (a list, or options.triggers). */
export function keepMaskedTriggerHeaders(
  body: unknown,
  stored: { id: string; headers: Record<string, string> }[],
): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  const byId = new Map(stored.map((t) => [t.id, t.headers]));
  const keep = (list: unknown) =>
    Array.isArray(list)
      ? list.map((t: TriggerLike) =>
          typeof t === "object" && t !== null && typeof t.id === "string" && t.headers !== undefined
            ? { ...t, headers: keepMaskedHeaders(t.headers, byId.get(t.id)) }
            : t,
        )
      : list;
  const out: Record<string, unknown> = { ...body };
  if ("triggers" in out) out.triggers = keep(out.triggers);
  // VSKI clients may send options as a JSON string; read, it means the same as the object.
  let options = out.options;
  if (typeof options === "string") {
    try {
      options = JSON.parse(options);
    } catch {
      return out;
    }
  }
  if (typeof options === "object" && options !== null && !Array.isArray(options) && "triggers" in options)
    out.options = { ...options, triggers: keep((options as { triggers: unknown }).triggers) };
  return out;
}

/** previewShownTo answers a transform preview with its headers (a logged delivery's, which carry the target's) as the caller may see them. */
export function previewShownTo<P extends object>(atRest: AtRest, access: Access, preview: P): P {
  if (!("headers" in preview) || !preview.headers || typeof preview.headers !== "object") return preview;
  return { ...preview, headers: headersShownTo(atRest, access, preview.headers as Record<string, string>) };
}
