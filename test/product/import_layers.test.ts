// The layers of src/, lowest first: a file may import from its own layer and the ones below,
// never from above, and no files may import each other in a circle. (A file named on its own
// would sit in that layer, whatever its folder's; none needs to today.) docs/architecture.md
// describes each layer; change both together.
import { expect, test } from "bun:test";
import { join } from "node:path";
import { circles, importGraph, upwardImports } from "../support/import_graph";

export const LAYERS: string[][] = [
  ["src/errors.ts", "src/version.ts", "src/retry_schedule.ts", "src/lib/"],
  ["src/runtime/"],
  ["src/config.ts", "src/settings/", "src/db/"],
  ["src/cli.ts", "src/listen.ts", "src/auth/"],
  ["src/targets/"],
  ["src/deliveries/"],
  // Operational events are deliveries, enqueued like any other; Deps carries the sender.
  ["src/metrics/", "src/live/", "src/ops/"],
  ["src/deps.ts"],
  ["src/collections/", "src/cron/", "src/webhooks/", "src/dispatch/", "src/secrets/", "src/backups/"],
  // Middleware is composed by app.ts; GraphQL fields use some of it too.
  ["src/rest/", "src/schema/", "src/dashboard/", "src/graphiql/", "src/middleware/"],
  ["src/app.ts", "src/boot.ts"],
  ["src/serve.ts"],
  ["src/main.ts"],
];

const graph = importGraph(join(import.meta.dir, "../.."));

test("src/ has no circles of imports", () => {
  expect(circles(graph)).toEqual([]);
});

test("no import in src/ runs up the layers, and every file is in a layer", () => {
  const { upward, unplaced } = upwardImports(graph, LAYERS);
  // An import listed here runs from a lower layer to a higher one: import the other way, pass
  // the part in (as Deps or a narrow interface), or move the file to the layer it belongs in.
  expect(upward, "imports that run up the layers").toEqual([]);
  // A file listed here is in no layer yet: add its folder (or it) to LAYERS and to the code map.
  expect(unplaced, "files in no layer: add them to LAYERS above and to docs/architecture.md").toEqual([]);
});

test("the graph is read: imports of type, re-exports and dynamic imports count", () => {
  expect(graph.get("src/deps.ts")).toContain("src/metrics/metrics.ts");
  expect(graph.get("src/db/client.ts")).toContain("src/db/db.ts");
  expect(graph.get("src/main.ts")?.length).toBeGreaterThan(0);
});

test("the check finds a circle and an upward import when there is one", () => {
  const bad = new Map([
    ["src/lib/a.ts", ["src/deps.ts"]],
    ["src/deps.ts", ["src/lib/a.ts"]],
  ]);
  expect(circles(bad)).toEqual([["src/deps.ts", "src/lib/a.ts"]]);
  expect(upwardImports(bad, LAYERS).upward).toEqual(["src/lib/a.ts -> src/deps.ts"]);
});
