/** withoutNulls drops top-level null inputs so GraphQL's "not given" reads like REST's "absent"; nested JSON values stay whole. */
export function withoutNulls(input: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined));
}
