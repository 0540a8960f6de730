// The delivery log's filters (docs/operating.md) as they live in the URL, the API query and the
// subscription. Pure, so it is unit-tested without a browser.
import type { LogEntry } from "./api_types";

/** FILTER_KEYS are the log filter names (docs/operating.md), spelled as the REST query parameters. */
export const FILTER_KEYS = [
  "status",
  "source",
  "collection",
  "trigger",
  "webhook",
  "cronJob",
  "recordId",
  "httpStatus",
  "since",
  "until",
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type LogFilter = Partial<Record<FilterKey, string>>;

/** STATUSES are the states a delivery can be in. */
export const STATUSES = ["pending", "processing", "held", "success", "failed", "cancelled"] as const;

/** LogRow is one delivery as the REST API answers it. */
export type LogRow = LogEntry;

/** filterFromParams keeps the known, non-empty filter parameters of a URL. */
export function filterFromParams(params: URLSearchParams): LogFilter {
  const filter: LogFilter = {};
  for (const key of FILTER_KEYS) {
    const v = params.get(key)?.trim();
    if (v) filter[key] = v;
  }
  return filter;
}

/** isEmptyFilter tells whether nothing is filtered (bulk actions refuse that). */
export function isEmptyFilter(filter: LogFilter): boolean {
  return Object.keys(filter).length === 0;
}

/** logsQuery is the REST query string for a filtered page. */
export function logsQuery(filter: LogFilter, page: number, perPage: number): string {
  return new URLSearchParams({ ...filter, page: String(page), perPage: String(perPage) } as Record<
    string,
    string
  >).toString();
}

/** apiFilter is the filter as the bulk endpoints and the subscription take it (httpStatus a number); undefined when empty. */
export function apiFilter(filter: LogFilter): Record<string, string | number> | undefined {
  if (isEmptyFilter(filter)) return undefined;
  return { ...filter, ...(filter.httpStatus ? { httpStatus: Number(filter.httpStatus) } : {}) };
}

/** graphqlFilter is apiFilter for GraphQL, where status and source are enums (FAILED, TRIGGER). */
export function graphqlFilter(filter: LogFilter): Record<string, string | number> | undefined {
  const api = apiFilter(filter);
  if (!api) return undefined;
  for (const key of ENUM_FIELDS) if (typeof api[key] === "string") api[key] = api[key].toUpperCase();
  return api;
}

// Filters on what a delivery's state changes; the rest (collection, trigger, source, times of
// creation, …) stay true of a delivery for good.
const CHANGING: FilterKey[] = ["status", "httpStatus"];

/** liveFilter is the subscription's filter: the view's without the filters a delivery can move out of. */
export function liveFilter(filter: LogFilter): Record<string, string | number> | undefined {
  const steady = Object.fromEntries(Object.entries(filter).filter(([k]) => !CHANGING.includes(k as FilterKey)));
  return graphqlFilter(steady);
}

/** LOG_LIVE_QUERY follows every delivery matching a filter as the server changes it. */
export const LOG_LIVE_QUERY = `subscription DashboardLog($filter: WebhookLogFilter) { webhookLogUpdated(filter: $filter) {
  id source collection action recordId webhook cronJob triggerId url method payload status httpStatus errorMsg
  responseBody tries retryLimit nextAttemptAt durationMs createdAt updatedAt } }`;

/** GraphQLLog is a delivery as the subscription sends it (camelCase, enums upper-case). */
export type GraphQLLog = Record<string, unknown>;

/** describeFilter renders a filter for people: "status failed · collection posts". */
export function describeFilter(filter: LogFilter): string {
  return (
    Object.entries(filter)
      .map(([k, v]) => `${k} ${v}`)
      .join(" · ") || "everything"
  );
}

const ROW_FIELD: Record<FilterKey, (r: LogRow) => unknown> = {
  status: (r) => r.status,
  source: (r) => r.source,
  collection: (r) => r.collection,
  trigger: (r) => r.trigger_id,
  webhook: (r) => r.webhook,
  cronJob: (r) => r.cron_job,
  recordId: (r) => r.record_id,
  httpStatus: (r) => r.http_status,
  since: (r) => r.created_at,
  until: (r) => r.created_at,
};

/** matchesFilter tells whether a row belongs to a filtered view (for rows that arrive live). */
export function matchesFilter(filter: LogFilter, row: LogRow): boolean {
  return (Object.entries(filter) as [FilterKey, string][]).every(([key, want]) => {
    const have = ROW_FIELD[key](row);
    if (key === "since") return Date.parse(String(have)) >= Date.parse(want);
    if (key === "until") return Date.parse(String(have)) <= Date.parse(want);
    return String(have ?? "") === want;
  });
}

const SNAKE: Record<string, string> = {
  recordId: "record_id",
  cronJob: "cron_job",
  triggerId: "trigger_id",
  httpStatus: "http_status",
  errorMsg: "error_msg",
  responseBody: "response_body",
  retryLimit: "retry_limit",
  nextAttemptAt: "next_attempt_at",
  durationMs: "duration_ms",
  createdAt: "created_at",
  updatedAt: "updated_at",
};

// GraphQL enums whose REST values are lower-case (method is upper-case in both).
const ENUM_FIELDS = ["status", "source", "action"];

/** rowFromGraphQL turns a camelCase GraphQL log (enum values upper-case) into the REST row shape. */
export function rowFromGraphQL(log: Record<string, unknown>): LogRow {
  return Object.fromEntries(
    Object.entries(log).map(([k, v]) => [
      SNAKE[k] ?? k,
      ENUM_FIELDS.includes(k) && typeof v === "string" ? v.toLowerCase() : v,
    ]),
  ) as unknown as LogRow;
}
