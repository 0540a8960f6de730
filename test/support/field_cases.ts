// The field-type table shared by the REST and GraphQL record tests.

/** TYPED_SCHEMA declares one optional field of every type, named f_<type>. */
export const TYPED_SCHEMA = [
  { name: "f_text", type: "text" },
  { name: "f_email", type: "email" },
  { name: "f_number", type: "number" },
  { name: "f_bool", type: "bool" },
  { name: "f_date", type: "date" },
  { name: "f_datetime", type: "datetime" },
  { name: "f_select", type: "select", options: { values: ["draft", "published"] } },
  { name: "f_url", type: "url" },
  { name: "f_editor", type: "editor" },
  { name: "f_json", type: "json" },
  { name: "f_relation", type: "relation" },
];

/** FIELD_CASES has one row per field type: values it must store and give back unchanged, and values it must refuse. */
export const FIELD_CASES: { field: string; valid: unknown[]; invalid: unknown[] }[] = [
  { field: "f_text", valid: ["hello", "", "ünïcödé ✓", "x".repeat(10_000)], invalid: [12, true, {}, ["a"]] },
  {
    field: "f_email",
    valid: ["a@example.com", "first.last+tag@sub.example.org"],
    invalid: ["not-an-email", "a@", "@example.com", 5],
  },
  { field: "f_number", valid: [0, -1.5, 42, 1e18, 1.7976931348623157e308], invalid: ["12", true, [1], {}] },
  { field: "f_bool", valid: [true, false], invalid: ["true", 1, 0, "yes"] },
  {
    field: "f_date",
    valid: ["2026-02-28", "2024-02-29"],
    invalid: ["2026-02-30", "2025-02-29", "2026-1-1", "2026-01-01T00:00:00Z", 20260101],
  },
  {
    field: "f_datetime",
    valid: ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00.123Z", "2026-01-01T10:00:00+02:00"],
    invalid: ["2026-01-01", "yesterday", "2026-01-01 00:00:00", "2026-13-01T00:00:00Z", 1767225600],
  },
  { field: "f_select", valid: ["draft", "published"], invalid: ["archived", "Draft", ["draft"], 1] },
  {
    field: "f_url",
    valid: ["https://example.com/a?b=1", "http://localhost:8080/x"],
    invalid: ["ftp://example.com", "example.com", "javascript:alert(1)", 3],
  },
  { field: "f_editor", valid: ["<p>hi</p>", ""], invalid: [3, { html: "x" }] },
  { field: "f_json", valid: [{ a: [1, { b: null }] }, [1, 2], "text", 0, false], invalid: [] },
  { field: "f_relation", valid: ["abc123", "rec_1-2"], invalid: ["has space", "", "x".repeat(65), 5, ["abc"]] },
];

/** label shortens a value for a test name. */
export const label = (v: unknown) =>
  typeof v === "string" && v.length > 40 ? `"${v.slice(0, 10)}…" (${v.length} chars)` : JSON.stringify(v);
