// A Tally's counts reach a real prom-client counter when it is read, once each.
import { expect, test } from "bun:test";
import { Counter, Registry } from "prom-client";
import { Tally } from "../../src/metrics/tally";

test("counts by key reach the counter at each read, and only once", async () => {
  const registry = new Registry();
  const tally = new Tally<"route" | "status">();
  new Counter({
    name: "t_requests_total",
    help: "t",
    labelNames: ["route", "status"],
    registers: [registry],
    collect() {
      tally.flushInto(this);
    },
  });
  const read = async () =>
    Object.fromEntries(
      (await registry.getMetricsAsJSON())[0]!.values.map((v) => [`${v.labels.route} ${v.labels.status}`, v.value]),
    );
  for (let i = 0; i < 3; i++) tally.add("/a 200", () => ({ route: "/a", status: "200" }));
  tally.add("/a 404", () => ({ route: "/a", status: "404" }));
  expect(await read()).toEqual({ "/a 200": 3, "/a 404": 1 });
  expect(await read()).toEqual({ "/a 200": 3, "/a 404": 1 });
  tally.add("/a 404", () => ({ route: "/a", status: "404" }));
  expect(await read()).toEqual({ "/a 200": 3, "/a 404": 2 });
});
