// The transform step of an attempt (docs/control.md): the target's expression, evaluated over the
// event the delivery carries, decides the body and, through `$request`, the URL, method and
// headers. It runs before signing, so the signature covers the body actually sent.
import type { TargetControl } from "./target_control";
import { runTransform, TransformError } from "./transform";

// Headers the HTTP client computes or that describe the connection: a transform cannot set them.
const CLIENT_HEADERS =
  /^(content-length|transfer-encoding|connection|keep-alive|proxy-connection|te|trailer|upgrade)$/i;

/** eventOf reads the stored payload as the transform's input: JSON when it parses, else the text as is. */
export function eventOf(payload: string | null): unknown {
  if (payload === null) return null;
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}

/** Shapeable is the part of a delivery a transform reads and may replace. */
export interface Shapeable {
  payload: string | null;
  url: string;
  method: string;
  headers: Record<string, string>;
}

/** transformDelivery answers the delivery as its transform shapes it, or throws the TransformError that fails the attempt. */
export async function transformDelivery<D extends Shapeable>(
  d: D,
  transform: NonNullable<TargetControl["transform"]>,
): Promise<D> {
  if (!transform.compiled) throw transform.error ?? new TransformError("the transform does not compile", null);
  const out = await runTransform(transform.compiled, eventOf(d.payload));
  const headers = { ...d.headers };
  for (const [name, value] of Object.entries(out.headers ?? {})) if (!CLIENT_HEADERS.test(name)) headers[name] = value;
  return { ...d, payload: out.body, url: out.url ?? d.url, method: out.method ?? d.method, headers };
}
