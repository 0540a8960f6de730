// Target header values at rest: stores seal each value before writing a definition (with
// HOOKD_ENCRYPTION_KEY; as given without it), and the sealed values travel as they are — into
// capture triggers and delivery rows — until an attempt is prepared or a secrets:read caller
// reads them (header_masking.ts), where they are opened.
import { fieldError } from "../errors";
import { type AtRest, isSealedText, SealFailed } from "./at_rest";

/**
 * sealHeaders seals each value for storage. A value that is sealed already came back from
 * storage (an update merged over the stored definition) and must open with this key; one that
 * does not is refused, naming it, rather than sent as ciphertext.
 */
export function sealHeaders(atRest: AtRest, headers: Record<string, string>, path = "headers"): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => {
      if (!isSealedText(value)) return [name, atRest.sealText(value)];
      try {
        atRest.openText(value);
      } catch (err) {
        if (!(err instanceof SealFailed)) throw err;
        throw fieldError(
          `${path}.${name}`,
          "invalid_value",
          "looks sealed (enc:v1:…) but this server's HOOKD_ENCRYPTION_KEY does not open it; send the real value",
        );
      }
      return [name, value];
    }),
  );
}

/** openHeaders opens each sealed value (plain values pass as they are). */
export function openHeaders(atRest: AtRest, headers: Record<string, string>): Record<string, string> {
  // Without a key nothing is sealed (start-up refuses a sealed database): no copy per attempt.
  if (!atRest.sealing) return headers;
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, atRest.openText(value)]));
}
