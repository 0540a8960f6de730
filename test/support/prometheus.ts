// Reads a /metrics answer with a real Prometheus text-format parser, so the tests check
// what a scraper would see, not what the code meant to write.
// @ts-expect-error: the parser ships no type declarations.
import parsePrometheus from "parse-prometheus-text-format";
import type { TestApp } from "./test_app";

/** MetricFamily is one parsed metric: counters and gauges have values, histograms buckets. */
export interface MetricFamily {
  name: string;
  type: string;
  metrics: {
    value?: string;
    labels?: Record<string, string>;
    count?: string;
    sum?: string;
    buckets?: Record<string, string>;
  }[];
}

/** scrape GETs /metrics with the admin token and parses it into families by name. */
export async function scrape(t: TestApp, headers?: Record<string, string>): Promise<Map<string, MetricFamily>> {
  const res = await t.app.fetch(
    new Request("http://hookd.test/metrics", { headers: headers ?? { authorization: "Bearer test-token" } }),
  );
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  const families = parsePrometheus(await res.text()) as MetricFamily[];
  return new Map(families.map((f) => [f.name, f]));
}

/** sample answers the value of the sample of `name` whose labels include `labels` (0 when absent). */
export function sample(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number {
  const family = families.get(name);
  const found = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return found ? Number(found.value ?? found.count) : 0;
}

/** total sums the samples of `name` whose labels include `labels` (across the labels not given). */
export function total(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number {
  const matching = (families.get(name)?.metrics ?? []).filter((m) =>
    Object.entries(labels).every(([k, v]) => m.labels?.[k] === v),
  );
  return matching.reduce((sum, m) => sum + Number(m.value ?? m.count), 0);
}
