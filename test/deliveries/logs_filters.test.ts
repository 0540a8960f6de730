// The log filters (docs/operating.md) over REST and GraphQL: each alone, every pair and some larger
// combinations against a reference evaluation of the same rows; wrong values are a 400
// naming the parameter; and every combination's plan is an index walk with no sort.
import { beforeAll, describe, expect, test } from "bun:test";
import { LOG_FILTER_KEYS } from "../../src/deliveries/log_filter";
import { filterSql, NEWEST_FIRST } from "../../src/deliveries/log_filter_sql";
import { insertLogRows, type LogRowSeed } from "../support/log_rows";
import { makeTestApp, type TestApp } from "../support/test_app";

const STATUSES = ["pending", "processing", "held", "success", "failed", "cancelled"];
const BASE = Date.UTC(2026, 0, 1);
// created_at is a permutation of the insert order, so "newest first" is tested apart from rowid.
const seeds: LogRowSeed[] = Array.from({ length: 60 }, (_, i) => {
  const source = (["trigger", "webhook", "cron"] as const)[i % 3]!;
  const status = STATUSES[i % 6]!;
  return {
    id: `l${String(i).padStart(2, "0")}`,
    source,
    status,
    collection: source === "trigger" ? (i % 2 ? "a" : "b") : null,
    record_id: source === "trigger" ? `rec${i % 4}` : null,
    trigger_id: source === "trigger" ? (i % 5 ? "t1" : "t2") : null,
    webhook: source === "webhook" ? (i % 2 ? "w1" : "w2") : null,
    cron_job: source === "cron" ? (i % 2 ? "c1" : "c2") : null,
    http_status: status === "success" ? 200 : status === "failed" ? (i % 4 ? 500 : 404) : null,
    created_at: new Date(BASE + ((i * 7) % 60) * 60_000).toISOString(),
  };
});

const SAMPLE: Record<string, string> = {
  source: "trigger",
  collection: "a",
  trigger: "t2",
  webhook: "w1",
  cronJob: "c2",
  recordId: "rec1",
  status: "failed",
  httpStatus: "500",
  since: "2026-01-01T00:20:00Z",
  until: "2026-01-01T00:45:00.000Z",
};
const COLUMN: Record<string, keyof LogRowSeed> = {
  source: "source",
  collection: "collection",
  trigger: "trigger_id",
  webhook: "webhook",
  cronJob: "cron_job",
  recordId: "record_id",
  status: "status",
  httpStatus: "http_status",
};

function expected(filter: Record<string, string>): string[] {
  return seeds
    .filter((r) =>
      Object.entries(filter).every(([k, v]) =>
        k === "since"
          ? r.created_at! >= new Date(v).toISOString()
          : k === "until"
            ? r.created_at! <= new Date(v).toISOString()
            : String(r[COLUMN[k]!]) === v,
      ),
    )
    .sort((x, y) => (x.created_at! < y.created_at! ? 1 : -1))
    .map((r) => r.id);
}

function combinations(size: number, keys = Object.keys(SAMPLE)): string[][] {
  if (size === 0) return [[]];
  return keys.flatMap((k, i) => combinations(size - 1, keys.slice(i + 1)).map((rest) => [k, ...rest]));
}

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
  await insertLogRows(t.deps.db, seeds);
});

const cases = [
  ...combinations(1),
  ...combinations(2),
  ["collection", "status", "since", "until"],
  ["source", "recordId", "status", "httpStatus"],
  Object.keys(SAMPLE),
];

describe("REST filters", () => {
  for (const keys of cases) {
    test(keys.join(" + "), async () => {
      const filter = Object.fromEntries(keys.map((k) => [k, SAMPLE[k]!]));
      const res = await t.request("GET", `/api/webhooks/logs?perPage=500&${new URLSearchParams(filter)}`);
      expect(res.status).toBe(200);
      expect(res.body.items.map((l: any) => l.id)).toEqual(expected(filter));
      expect(res.body.totalItems).toBe(expected(filter).length);
    });
  }

  test("paging walks the filtered set newest first", async () => {
    const want = expected({ source: "trigger" });
    const pages = await Promise.all(
      [1, 2, 3].map((p) => t.request("GET", `/api/webhooks/logs?source=trigger&perPage=8&page=${p}`)),
    );
    expect(pages.flatMap((p) => p.body.items.map((l: any) => l.id))).toEqual(want);
    expect(pages[0]!.body).toMatchObject({ totalItems: 20, totalPages: 3 });
  });

  test("held and cancelled are statuses; a date alone means its midnight UTC", async () => {
    expect((await t.request("GET", "/api/webhooks/logs?status=held")).body.totalItems).toBe(10);
    expect((await t.request("GET", "/api/webhooks/logs?status=cancelled")).body.totalItems).toBe(10);
    expect((await t.request("GET", "/api/webhooks/logs?until=2026-01-01")).body.items.map((l: any) => l.id)).toEqual(
      expected({ until: "2026-01-01T00:00:00Z" }),
    );
    expect((await t.request("GET", "/api/webhooks/logs?since=2026-01-01T01:20:00%2B01:00")).body.totalItems).toBe(
      expected({ since: "2026-01-01T00:20:00Z" }).length,
    );
  });

  const bad: [string, string][] = [
    ["status=done", "status"],
    ["source=api", "source"],
    ["httpStatus=abc", "httpStatus"],
    ["httpStatus=99", "httpStatus"],
    ["httpStatus=600", "httpStatus"],
    ["httpStatus=2.5", "httpStatus"],
    ["since=yesterday", "since"],
    ["until=2026-13-01", "until"],
    ["since=2026-01-01T25:00:00Z", "since"],
    ["since=2026-02-01&until=2026-01-01", "until"],
    ["since=1767225600", "since"],
  ];
  for (const [query, field] of bad) {
    test(`${query} is a 400 naming ${field}`, async () => {
      const res = await t.request("GET", `/api/webhooks/logs?${query}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: "VALIDATION", data: { [field]: { code: "invalid_value" } } });
    });
  }
});

// GraphQL takes status and source as enums (FAILED), httpStatus as a number.
const graphqlValue = (key: string, value: string) =>
  key === "httpStatus" ? Number(value) : key === "status" || key === "source" ? value.toUpperCase() : value;

describe("GraphQL filter", () => {
  const QUERY = `query($f: WebhookLogFilter, $c: String, $s: DeliveryStatus) { webhookLogs(filter: $f, collection: $c, status: $s, perPage: 500) { totalItems items { id } } }`;
  for (const keys of [...combinations(1), ...combinations(3).filter((_, i) => i % 7 === 0)]) {
    test(keys.join(" + "), async () => {
      const filter = Object.fromEntries(keys.map((k) => [k, graphqlValue(k, SAMPLE[k]!)]));
      const res = await t.graphql(QUERY, { f: filter });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.webhookLogs.items.map((l: any) => l.id)).toEqual(
        expected(Object.fromEntries(keys.map((k) => [k, SAMPLE[k]!]))),
      );
    });
  }

  test("the collection and status arguments still work, alone and beside filter", async () => {
    const old = await t.graphql(QUERY, { c: "a", s: "FAILED" });
    expect(old.body.data.webhookLogs.items.map((l: any) => l.id)).toEqual(
      expected({ collection: "a", status: "failed" }),
    );
    const mixed = await t.graphql(QUERY, { c: "a", f: { httpStatus: 500 } });
    expect(mixed.body.data.webhookLogs.items.map((l: any) => l.id)).toEqual(
      expected({ collection: "a", httpStatus: "500" }),
    );
  });

  test("enum values: filter: {status: FAILED} inline", async () => {
    const res = await t.graphql(
      `{ webhookLogs(filter: {status: FAILED, source: WEBHOOK}, perPage: 500) { items { id status source } } }`,
    );
    expect(res.body.data.webhookLogs.items.map((l: any) => l.id)).toEqual(
      expected({ status: "failed", source: "webhook" }),
    );
    expect(res.body.data.webhookLogs.items[0]).toMatchObject({ status: "FAILED", source: "WEBHOOK" });
    const wrong = await t.graphql(`{ webhookLogs(filter: {status: done}) { totalItems } }`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].extensions).toMatchObject({ code: "GRAPHQL_VALIDATION_FAILED", status: 400 });
    expect(wrong.body.errors[0].message).toContain("DeliveryStatus");
  });

  test("wrong values are VALIDATION errors naming the field", async () => {
    for (const [f, field] of [
      [{ since: "soon" }, "since"],
      [{ httpStatus: 42 }, "httpStatus"],
    ] as const) {
      const res = await t.graphql(QUERY, { f });
      expect(res.body.errors[0].extensions).toMatchObject({
        code: "VALIDATION",
        data: { [field]: expect.any(Object) },
      });
    }
  });
});

describe("query plans", () => {
  const VALUES: Record<string, string | number> = {
    ...SAMPLE,
    httpStatus: 500,
    since: "2026-01-01T00:00:00.000Z",
    until: "2026-02-01T00:00:00.000Z",
  };
  const DRIVER_INDEX: [string, RegExp][] = [
    ["recordId", /_record_/],
    ["webhook", /_webhook_/],
    ["cronJob", /_cron_/],
    ["status", /_status_created/],
    ["trigger", /_trigger_/],
    ["collection", /_collection_/],
    ["httpStatus", /_http_/],
    ["source", /_webhook_logs_created\b/],
    ["since", /_webhook_logs_created\b/],
    ["until", /_webhook_logs_created\b/],
  ];

  test("every combination of filters pages from an index, newest first without sorting the matches, and counts from the same index", async () => {
    // ids picks at most MAX_IDS rows by primary key; sorting those is cheap, so it is planned apart (below).
    const keys = LOG_FILTER_KEYS.filter((k) => k !== "ids") as readonly string[];
    expect(keys.length).toBe(10);
    for (let mask = 0; mask < 1 << keys.length; mask++) {
      const filter = Object.fromEntries(keys.filter((_, i) => mask & (1 << i)).map((k) => [k, VALUES[k]]));
      const { where, args } = filterSql(filter);
      const plan = async (sql: string) =>
        (await t.deps.db.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args })).rows
          .map((r) => String(r.detail))
          .join(" | ");
      const page = await plan(`SELECT id FROM _webhook_logs ${where} ${NEWEST_FIRST} LIMIT 30 OFFSET 30`);
      const count = await plan(`SELECT count(*) FROM _webhook_logs ${where}`);
      const label = JSON.stringify(Object.keys(filter));
      // A full sort would read every match; "RIGHT PART OF ORDER BY" only orders rows of the same millisecond by rowid as they stream.
      expect(`${label} ${page}`).not.toContain("TEMP B-TREE FOR ORDER BY");
      for (const p of [page, count]) expect(`${label} ${p}`).toMatch(/USING (COVERING )?INDEX _webhook_logs_/);
      const driver = DRIVER_INDEX.find(([k]) => k in filter);
      if (driver) expect(`${label} ${page}`).toMatch(driver[1]);
    }
  });

  test("an ids filter reads its rows by primary key, whatever else is filtered", async () => {
    const { where, args } = filterSql({ ids: ["a", "b"], status: "failed", collection: "posts" });
    const rs = await t.deps.db.execute({ sql: `EXPLAIN QUERY PLAN SELECT id FROM _webhook_logs ${where}`, args });
    expect(rs.rows.map((r) => String(r.detail)).join(" | ")).toMatch(
      /INDEX sqlite_autoindex__webhook_logs_1 \(id=\?\)/,
    );
  });
});
