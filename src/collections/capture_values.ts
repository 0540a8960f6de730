// How a capture trigger writes a column into the payload's JSON, so the receiver gets the
// value the record API answers:
// - numbers: SQLite's JSON functions print a REAL with 15 significant digits (0.1 + 0.2 became
//   0.3, 1.0 stayed 1.0). Here an integral value below 2^53 is printed as an integer; another
//   with 13 digits when SQLite reads those back as the same double (so 19.99 stays 19.99), and
//   otherwise with 17, which always reads back exactly. Not 14-16: SQLite's text-to-number
//   reading is off by one unit in the last place now and then, so a 14-16 digit form it accepts
//   may be another double for the receiver (5 and 43 in 1.5 million random doubles; 0 at 13);
// - blobs (written by SQL into any column; the JSON functions refuse them, which failed the
//   write) are upper-case hex text, as the API answers them (record_values.ts);
// - json columns hold JSON text; text that is not JSON is passed on as a string.
// None of these can raise an error, so capture never makes a write fail.
import { CAPTURE_TOO_LARGE, MAX_CAPTURE_BYTES } from "../db/db_errors";
import { quoteIdent } from "../lib/sql_text";
import type { Collection, Field } from "./collection_types";

const MAX_EXACT_INTEGER = 9007199254740992;
const MAX_DOUBLE = "1.7976931348623157e308";

/**
 * numberJson is the SQL JSON of a REAL exactly as JavaScript reads it back (infinities, which
 * JSON lacks, as null). An integral one, the common case, becomes an INTEGER, which the JSON
 * functions print as it is; only the others go through printf and json() (which keeps the
 * digits a number rather than a string).
 */
function numberJson(c: string): string {
  const digits = (n: number) => `printf('%.${n}g', ${c})`;
  return `CASE WHEN ${c} = CAST(${c} AS INTEGER) AND abs(${c}) < ${MAX_EXACT_INTEGER} THEN CAST(${c} AS INTEGER)
    WHEN abs(${c}) > ${MAX_DOUBLE} THEN NULL
    WHEN CAST(${digits(13)} AS REAL) = ${c} THEN json(${digits(13)})
    ELSE json(printf('%!.17g', ${c})) END`;
}

/** columnJson is the SQL value a field takes in the payload's record object. */
export function columnJson(field: Field, column: string): string {
  const typed =
    field.type === "bool"
      ? `CASE WHEN ${column} THEN json('true') ELSE json('false') END`
      : field.type === "json"
        ? `CASE WHEN json_valid(${column}) THEN json(${column}) ELSE ${column} END`
        : column;
  // Only number and bool columns can hold a REAL (the others have TEXT affinity); a bool's is true or false, as in the API.
  const real = field.type === "number" ? ` WHEN 'real' THEN ${numberJson(column)}` : "";
  return `CASE typeof(${column}) WHEN 'null' THEN NULL WHEN 'blob' THEN hex(${column})${real} ELSE ${typed} END`;
}

/**
 * captureSizeGuard is the first statement of a capture trigger: it refuses the write (RAISE
 * ABORT, so only the statement fails) when the rows it would copy into payloads, times the
 * number of triggers, pass MAX_CAPTURE_BYTES — counted as if every trigger's condition held.
 */
export function captureSizeGuard(collection: Collection, rows: ("NEW" | "OLD")[], triggers: number): string {
  const sizes = rows.flatMap((row) =>
    collection.schema.map((f) => `coalesce(octet_length(${row}.${quoteIdent(f.name)}), 0)`),
  );
  if (sizes.length === 0) return "";
  const message = `${CAPTURE_TOO_LARGE}: this write would queue more than ${MAX_CAPTURE_BYTES} bytes of webhook payloads (the record's size times the ${triggers} triggers on this action); make the record smaller or use fewer triggers`;
  return `SELECT RAISE(ABORT, '${message.replaceAll("'", "''")}') WHERE (${sizes.join(" + ")}) * ${triggers} > ${MAX_CAPTURE_BYTES};`;
}
