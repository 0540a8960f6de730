// Metrics by target (docs/operating.md, Metrics): hookd_deliveries_total and hookd_delivery_attempts_total carry
// target="<collection>/<trigger id>" (webhook/<name>, cron/<name>), hookd_target_disabled{target}
// is 1 for a disabled target, and a deleted target's series go. The sample alert rules in
// docs/operating.md are parsed and each must match series of a real /metrics answer.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import {
  makeDispatchingApp,
  makeHookedCollection,
  settled,
  waitForLogs,
  type DispatchingApp,
} from "../support/deliveries";
import { type MetricFamily, sample, scrape } from "../support/prometheus";
import { startReceiver, type Receiver } from "../support/receiver";

let t: DispatchingApp;
let rx: Receiver;
beforeAll(async () => {
  rx = startReceiver();
  rx.respond = (r) => ({ status: r.path === "/gone" ? 410 : r.path === "/down" ? 503 : 200 });
  t = await makeDispatchingApp();
  await makeHookedCollection(t, "orders", [{ id: "t1", action: "create", url: `${rx.url}/ok` }]);
  await makeHookedCollection(t, "gone", [{ id: "g", action: "create", url: `${rx.url}/gone` }]);
  await t.request("POST", "/api/webhooks", { name: "notify", url: `${rx.url}/down`, retryLimit: 1 });
  await t.request("POST", "/api/collections/orders/records", { title: "a" });
  await t.request("POST", "/api/collections/gone/records", { title: "b" });
  await t.request("POST", "/api/webhooks/notify/trigger", {});
  await waitForLogs(t.deps, "1", (rows) => rows.length === 3 && settled(rows));
});
afterAll(async () => {
  await t.dispatcher.stop();
  await rx.stop();
});

const targetsOf = (m: Map<string, MetricFamily>, name: string) =>
  new Set((m.get(name)?.metrics ?? []).map((s) => s.labels?.target));

test("counters by target, and hookd_target_disabled for each target", async () => {
  const m = await scrape(t);
  expect(sample(m, "hookd_deliveries_total", { target: "orders/t1", status: "success", source: "trigger" })).toBe(1);
  expect(sample(m, "hookd_deliveries_total", { target: "webhook/notify", status: "failed", source: "webhook" })).toBe(
    1,
  );
  expect(sample(m, "hookd_delivery_attempts_total", { target: "gone/g", outcome: "rejected" })).toBe(1);
  expect(sample(m, "hookd_target_disabled", { target: "gone/g" })).toBe(1);
  expect(sample(m, "hookd_target_disabled", { target: "orders/t1" })).toBe(0);
  expect(targetsOf(m, "hookd_target_disabled")).toEqual(new Set(["orders/t1", "gone/g", "webhook/notify"]));
});

test("a deleted target's series go", async () => {
  expect((await t.request("DELETE", "/api/collections/gone")).status).toBe(204);
  const m = await scrape(t);
  for (const name of ["hookd_deliveries_total", "hookd_delivery_attempts_total", "hookd_target_disabled"])
    expect([name, targetsOf(m, name).has("gone/g")]).toEqual([name, false]);
  expect(targetsOf(m, "hookd_deliveries_total").has("orders/t1")).toBe(true);
});

test("the sample alert rules in docs/operating.md match series of a real /metrics answer", async () => {
  const page = await Bun.file(join(import.meta.dir, "../../docs/operating.md")).text();
  const block = /```yaml\n(# Prometheus alert rules for hookd[\s\S]*?)```/.exec(page);
  expect(block).not.toBeNull();
  const rules = (Bun.YAML.parse(block![1]!) as any).groups.flatMap((g: any) => g.rules);
  expect(rules.length).toBeGreaterThanOrEqual(3);
  // Disable a target again, so every series an alert reads has a sample.
  await makeHookedCollection(t, "gone2", [{ id: "g", action: "create", url: `${rx.url}/gone` }]);
  await t.request("POST", "/api/collections/gone2/records", { title: "c" });
  await waitForLogs(t.deps, "collection = 'gone2'", settled);
  const m = await scrape(t);
  for (const rule of rules) {
    expect(rule.alert).toBeString();
    const expr = String(rule.expr);
    const names = [...expr.matchAll(/\b(hookd_[a-z_]+)/g)].map((x) => x[1]!);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const family = m.get(name.replace(/_(bucket|sum|count)$/, ""));
      expect(family?.metrics.length ?? 0).toBeGreaterThan(0);
      // Every label the rule selects or groups by is a label of that metric's series.
      const labels = new Set(family!.metrics.flatMap((s) => Object.keys(s.labels ?? {})));
      const used = [
        ...[...expr.matchAll(new RegExp(`${name}\\{([^}]*)\\}`, "g"))].flatMap((x) =>
          x[1]!.split(",").map((p) => p.split(/[=!~]/)[0]!.trim()),
        ),
        ...[...expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap((x) => x[1]!.split(",").map((l) => l.trim())),
      ].filter(Boolean);
      for (const label of used) expect(labels.has(label) || label === "le").toBe(true);
    }
    // A rule by target names the target in what it tells.
    if (expr.includes("by (target)")) expect(JSON.stringify(rule.annotations ?? {})).toContain("$labels.target");
  }
  expect(sample(m, "hookd_target_disabled", { target: "gone2/g" })).toBe(1);
});
