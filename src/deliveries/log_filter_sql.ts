// A delivery log filter (log_filter.ts) as SQL, in the one shape every index of migration 007 is
// designed around — equality on one or two columns, a range on created_at, newest first — and
// the same test in memory, for live updates.
import type { FilterKey, LogFilter } from "./log_filter";

/** COLUMN_OF maps each equality filter to its column. */
const COLUMN_OF: Record<Exclude<FilterKey, "since" | "until" | "ids">, string> = {
  source: "source",
  collection: "collection",
  trigger: "trigger_id",
  webhook: "webhook",
  cronJob: "cron_job",
  recordId: "record_id",
  status: "status",
  httpStatus: "http_status",
};

/**
 * DRIVERS ranks the equality filters by which index serves them best: the first one present
 * picks the index (with status beside it where a (column, status, created_at) index exists);
 * the others are written as `+column = ?`, which SQLite cannot serve from an index, so the
 * planner — which has no statistics — never walks 900,000 rows of `httpStatus=200` to find one
 * `recordId`. status comes before collection and trigger because its index holds them (and
 * source and http_status) as trailing columns: those combinations count from the index alone.
 */
const DRIVERS = ["recordId", "webhook", "cronJob", "status", "trigger", "collection", "httpStatus"] as const;
const WITH_STATUS_INDEX = new Set<string>(["webhook", "cronJob", "status"]);

/** filterSql translates a filter to a WHERE clause (empty when it selects everything) and its arguments. */
export function filterSql(filter: LogFilter): { where: string; args: (string | number)[] } {
  // A list of ids is the narrowest filter there is: read by primary key, the others only checked.
  const driver = filter.ids ? undefined : DRIVERS.find((k) => filter[k] !== undefined);
  const terms: string[] = [];
  const args: (string | number)[] = [];
  for (const [key, column] of Object.entries(COLUMN_OF) as [keyof typeof COLUMN_OF, string][]) {
    const value = filter[key];
    if (value === undefined) continue;
    // A `+` term is still checked from the index when it holds the column (source and http_status are in the status index).
    const indexed = key === driver || (key === "status" && WITH_STATUS_INDEX.has(driver!));
    terms.push(`${indexed ? "" : "+"}${column} = ?`), args.push(value);
  }
  if (filter.since !== undefined) terms.push("created_at >= ?"), args.push(filter.since);
  if (filter.until !== undefined) terms.push("created_at <= ?"), args.push(filter.until);
  if (filter.ids !== undefined)
    terms.push("id IN (SELECT value FROM json_each(?))"), args.push(JSON.stringify(filter.ids));
  return { where: terms.length > 0 ? `WHERE ${terms.join(" AND ")}` : "", args };
}

/** NEWEST_FIRST orders a listing newest first; rowid breaks ties between rows of the same millisecond. */
export const NEWEST_FIRST = "ORDER BY created_at DESC, rowid DESC";

/** matchesFilter evaluates a filter on one row in memory, as filterSql does in SQL (for live updates). */
export function matchesFilter(filter: LogFilter, entry: object): boolean {
  const row = entry as Record<string, unknown>;
  for (const [key, column] of Object.entries(COLUMN_OF) as [keyof typeof COLUMN_OF, string][]) {
    const want = filter[key];
    if (want !== undefined && row[column] !== want) return false;
  }
  const created = String(row.created_at);
  if (filter.ids !== undefined && !filter.ids.includes(String(row.id))) return false;
  return (
    (filter.since === undefined || created >= filter.since) && (filter.until === undefined || created <= filter.until)
  );
}
