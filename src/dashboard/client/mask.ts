// Masking secrets in request headers before they are shown. Pure, so it is unit-tested.

const SECRET_NAME =
  /authorization|cookie|token|secret|password|passwd|signature|api[-_]?key|^x-key$|credential|session/i;
const SCHEME = /^(Bearer|Basic|Token|Digest)\s+/i;

/** isSecretHeader tells whether a header name usually carries a credential. */
export function isSecretHeader(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** maskValue hides a secret value, keeping an auth scheme ("Bearer") and the last 4 characters of long values. */
export function maskValue(value: string): string {
  const scheme = SCHEME.exec(value)?.[0] ?? "";
  const rest = value.slice(scheme.length);
  const tail = rest.length >= 16 ? rest.slice(-4) : "";
  return `${scheme}••••••••${tail}`;
}

/** maskHeaders answers the headers with every secret-looking value masked. */
export function maskHeaders(headers: Record<string, string>): [string, string, boolean][] {
  return Object.entries(headers).map(([name, value]) =>
    isSecretHeader(name) ? [name, maskValue(value), true] : [name, value, false],
  );
}

/** maskedHeadersText shows headers as JSON for editing, secret values masked. */
export function maskedHeadersText(headers: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(maskHeaders(headers).map(([k, v]) => [k, v])), null, 2);
}

/** unmaskHeaders puts back the original value of every secret header left masked in the editor. */
export function unmaskHeaders(
  edited: Record<string, string>,
  original: Record<string, string>,
): Record<string, string> {
  const kept = (k: string, v: string) =>
    original[k] !== undefined && isSecretHeader(k) && v === maskValue(original[k]!);
  return Object.fromEntries(Object.entries(edited).map(([k, v]) => [k, kept(k, v) ? original[k]! : v]));
}
