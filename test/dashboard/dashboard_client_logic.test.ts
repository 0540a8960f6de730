// The dashboard's pure parts, without a browser: secret masking, the log filters in the URL,
// the chart's series and the formatting of times.
import { describe, expect, test } from "bun:test";
import { minuteSeries, niceCeiling, RANGES, rangeSeries } from "../../src/dashboard/client/chart_data";
import { ago, duration, prettyBody } from "../../src/dashboard/client/format";
import {
  apiFilter,
  graphqlFilter,
  filterFromParams,
  isEmptyFilter,
  liveFilter,
  logsQuery,
  matchesFilter,
  rowFromGraphQL,
  type LogRow,
} from "../../src/dashboard/client/log_filters";
import {
  isSecretHeader,
  maskedHeadersText,
  maskHeaders,
  maskValue,
  unmaskHeaders,
} from "../../src/dashboard/client/mask";
import { holdsScope } from "../../src/auth/scopes";
import { scopesAllow } from "../../src/dashboard/client/scopes";
import { type TargetState, targetState } from "../../src/dashboard/client/targets";

describe("masking", () => {
  test.each([
    ["Authorization", true],
    ["X-Api-Key", true],
    ["x-webhook-secret", true],
    ["Cookie", true],
    ["X-Auth-Token", true],
    ["Content-Type", false],
    ["X-Source", false],
  ])("%s secret: %p", (name, secret) => {
    expect(isSecretHeader(name)).toBe(secret);
  });

  test("keeps the scheme and the last 4 characters of long values only", () => {
    expect(maskValue("Bearer sk_live_51HxYabcdefghijkl")).toBe("Bearer ••••••••ijkl");
    expect(maskValue("short")).toBe("••••••••");
    expect(maskHeaders({ "X-Source": "hookd", Authorization: "Basic dXNlcjpwYXNz" })).toEqual([
      ["X-Source", "hookd", false],
      ["Authorization", "Basic ••••••••", true],
    ]);
  });

  test("an edited header list gets back the secrets left masked, and takes changed ones", () => {
    const original = { Authorization: "Bearer secret-token-1234567", "X-Source": "a" };
    const edited = JSON.parse(maskedHeadersText(original));
    expect(JSON.stringify(edited)).not.toContain("secret-token");
    expect(unmaskHeaders({ ...edited, "X-Source": "b" }, original)).toEqual({
      Authorization: "Bearer secret-token-1234567",
      "X-Source": "b",
    });
    expect(unmaskHeaders({ Authorization: "Bearer new" }, original)).toEqual({ Authorization: "Bearer new" });
  });
});

describe("log filters", () => {
  const row = {
    id: "1",
    source: "trigger",
    collection: "posts",
    trigger_id: "t1",
    status: "failed",
    http_status: 500,
    record_id: "r1",
    webhook: null,
    cron_job: null,
    created_at: "2026-01-02T10:00:00.000Z",
  } as LogRow;

  test("only known, non-empty parameters become filters", () => {
    const f = filterFromParams(new URLSearchParams("status=failed&collection=posts&log=abc&page=2&webhook="));
    expect(f).toEqual({ status: "failed", collection: "posts" });
    expect(isEmptyFilter(filterFromParams(new URLSearchParams("log=abc")))).toBe(true);
    expect(logsQuery(f, 2, 50)).toBe("status=failed&collection=posts&page=2&perPage=50");
  });

  test.each([
    [{ status: "failed", collection: "posts" }, true],
    [{ trigger: "t1", httpStatus: "500" }, true],
    [{ status: "success" }, false],
    [{ since: "2026-01-02T09:00:00.000Z", until: "2026-01-02T11:00:00.000Z" }, true],
    [{ since: "2026-01-02T10:00:01.000Z" }, false],
  ])("%p matches: %p", (filter, expected) => {
    expect(matchesFilter(filter, row)).toBe(expected);
  });

  test("the API's filter: httpStatus as a number, nothing for an empty filter", () => {
    expect(apiFilter({ status: "failed", httpStatus: "503" })).toEqual({ status: "failed", httpStatus: 503 });
    expect(apiFilter({})).toBeUndefined();
    expect(graphqlFilter({ status: "failed", source: "cron", collection: "posts" })).toEqual({
      status: "FAILED",
      source: "CRON",
      collection: "posts",
    });
  });

  test("GraphQL rows read as REST rows", () => {
    expect(
      rowFromGraphQL({
        id: "1",
        status: "FAILED",
        method: "POST",
        httpStatus: 200,
        cronJob: "c",
        createdAt: "x",
        triggerId: "t",
      }),
    ).toEqual({
      id: "1",
      status: "failed",
      method: "POST",
      http_status: 200,
      cron_job: "c",
      created_at: "x",
      trigger_id: "t",
    } as any);
  });
});

describe("live state", () => {
  test("the subscription leaves out the filters a delivery moves out of, so a shown row follows it", () => {
    expect(liveFilter({ status: "failed", httpStatus: "500", collection: "rx", source: "trigger" })).toEqual({
      collection: "rx",
      source: "TRIGGER",
    });
    expect(liveFilter({ status: "failed" })).toBeUndefined();
  });

  const health = { consecutiveFailures: 0, disabledAt: null };
  test.each<[Parameters<typeof targetState>[0], TargetState]>([
    [{ active: true, health: { ...health, disabledAt: "2026-01-01T00:00:00Z" } }, "disabled"],
    [{ active: true, paused: true, health }, "paused"],
    [{ active: false, health }, "inactive"],
    [{ active: true, health: { ...health, consecutiveFailures: 2 } }, "failing"],
    [{ active: true, health, recentFailures: 2 }, "unsteady"],
    [{ active: true, health, recentFailures: 0 }, "active"],
  ])("target %o is %s", (target, state) => {
    expect(targetState(target)).toBe(state);
  });
});

describe("chart series", () => {
  test("places sparse minutes in a dense 24-hour window ending at the current minute", () => {
    const s = minuteSeries(
      [
        { minute: "2026-01-02T09:59", success: 3, failed: 1, recovered: 1 },
        { minute: "2026-01-01T09:59", success: 9, failed: 9, recovered: 0 },
        { minute: "2026-01-02T10:00", success: 1, failed: 0, recovered: 0 },
      ],
      "2026-01-02T10:00:30.000Z",
    );
    expect(s.success.length).toBe(1440);
    expect(s.success[1438]).toBe(2);
    expect(s.recovered[1438]).toBe(1);
    expect(s.failed[1438]).toBe(1);
    expect(s.success[1439]).toBe(1);
    expect([s.totalSuccess, s.totalRecovered, s.totalFailed, s.peak]).toEqual([4, 1, 1, 4]);
    expect(new Date(s.startMs).toISOString()).toBe("2026-01-01T10:01:00.000Z");
  });

  test("sums minutes into the range's buckets: 7 days in hours, the last one the current hour", () => {
    const s = rangeSeries(
      [
        { minute: "2026-01-02T09:05", success: 2, failed: 1, recovered: 0 },
        { minute: "2026-01-02T09:59", success: 1, failed: 0, recovered: 1 },
        { minute: "2026-01-02T10:00", success: 1, failed: 0, recovered: 0 },
        { minute: "2025-12-26T09:59", success: 5, failed: 5, recovered: 0 },
      ],
      "2026-01-02T10:20:00.000Z",
      RANGES.find((r) => r.id === "7d")!,
    );
    expect(s.success.length).toBe(168);
    expect([s.success[166], s.recovered[166], s.failed[166], s.success[167]]).toEqual([2, 1, 1, 1]);
    expect([s.totalSuccess, s.totalFailed]).toEqual([4, 1]);
  });

  test.each([
    [0, 1],
    [1, 1],
    [3, 5],
    [7, 10],
    [12, 20],
    [450, 500],
    [1001, 2000],
  ])("niceCeiling(%d) = %d", (n, want) => {
    expect(niceCeiling(n)).toBe(want);
  });
});

describe("formatting", () => {
  const now = Date.parse("2026-01-02T10:00:00Z");
  test.each([
    ["2026-01-02T09:59:30Z", "30 s ago"],
    ["2026-01-02T09:00:00Z", "1 h ago"],
    ["2026-01-02T10:05:00Z", "in 5 min"],
    [null, "—"],
  ])("ago(%p) = %s", (iso, want) => {
    expect(ago(iso, now)).toBe(want);
  });
  test("durations and bodies", () => {
    expect([duration(84), duration(1234), duration(null)]).toEqual(["84 ms", "1.2 s", "—"]);
    expect(prettyBody('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyBody("plain")).toBe("plain");
  });
});

test.each([
  [["admin"], "secrets:read", true],
  [["records:read"], "records:read:posts", true],
  [["records:read:posts"], "records:read", false],
  [["webhooks:trigger:report"], "webhooks:trigger:report", true],
  [["webhooks:read"], "webhooks:trigger:report", false],
  [["logs:read"], "logs:write", false],
])("the dashboard reads scopes %p as allowing %p: %p, as the server does", (held, needed, ok) => {
  expect(scopesAllow(new Set(held), needed)).toBe(ok);
  expect(holdsScope(new Set(held), needed)).toBe(ok);
});
