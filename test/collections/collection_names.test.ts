// Names that would hide something SQLite finds by name: a collection named json_each turned
// every json_each(…) on the connection — the claim statement's included — into an error, so
// every delivery stopped. New ones are a 400; ones an older release stored are dealt with at
// start-up (renamed when hookd's own SQL calls the function, kept with a warning otherwise).
import { afterAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "libsql";
import { createCaptureTriggers } from "../../src/collections/capture_triggers";
import { createTableStatements } from "../../src/collections/collection_ddl";
import { HOOKD_TABLE_FUNCTIONS } from "../../src/collections/shadowing_upgrade";
import { startDispatcher } from "../../src/dispatch/dispatcher";
import { createApp } from "../../src/app";
import { bootDeps } from "../../src/boot";
import { testConfig } from "../../src/config";
import type { Db } from "../../src/db/client";
import type { Logger } from "../../src/runtime/logger";
import { waitForLogs } from "../support/deliveries";
import { startReceiver } from "../support/receiver";
import { databaseBackends, sqldAvailable, startSqld } from "../support/sqld";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp } from "../support/test_app";

const RESERVED = [
  "json_each",
  "JSON_EACH",
  "json_tree",
  "fsdir",
  "generate_series",
  "pragma_table_list",
  "pragma_anything",
  "carray",
  "vector_top_k",
];

for (const [backend, open] of databaseBackends()) {
  describe(`reserved collection names on ${backend}`, () => {
    const opened = open();
    const app = opened.then(({ url }) => makeTestApp({ dbUrl: url }));
    afterAll(async () => {
      (await app).deps.db.close();
      await (await opened).stop?.();
    });

    for (const name of RESERVED) {
      test(`${name}: 400 naming the rule on REST and GraphQL; nothing is created`, async () => {
        const t = await app;
        const rest = await t.request("POST", "/api/collections", {
          name,
          fields: [{ name: "title", type: "text" }],
          triggers: [{ action: "create", url: "http://127.0.0.1:9/hook" }],
        });
        expect(rest.status).toBe(400);
        expect(rest.body.data.name.code).toBe("reserved");
        expect(rest.body.message).toContain("table-valued function");
        const gql = await t.graphql("mutation($input: CollectionInput!) { createCollection(input: $input) { name } }", {
          input: { name, fields: [{ name: "title", type: "text" }] },
        });
        expect(gql.body.errors?.[0]?.extensions?.code).toBe("VALIDATION");
        const tables = await t.deps.db.execute({
          sql: "SELECT name FROM sqlite_master WHERE lower(name) = lower(?)",
          args: [name],
        });
        expect(tables.rows).toHaveLength(0);
        expect((await t.request("GET", `/api/collections/${name}`)).status).toBe(404);
      });
    }

    test("renaming a collection to a reserved name is refused; renaming it back to a plain one works", async () => {
      const t = await app;
      expect((await t.request("POST", "/api/collections", { name: "plain", fields: [] })).status).toBe(200);
      const renamed = await t.request("PATCH", "/api/collections/plain", { name: "generate_series" });
      expect(renamed.status).toBe(400);
      expect(renamed.body.data.name.code).toBe("reserved");
      expect((await t.request("GET", "/api/collections/plain")).status).toBe(200);
    });

    test("fields named true or false are refused (a column of that name hides SQL's boolean)", async () => {
      const t = await app;
      for (const name of ["true", "FALSE"]) {
        const res = await t.request("POST", "/api/collections", { name: "booleans", fields: [{ name, type: "text" }] });
        expect(res.status).toBe(400);
        expect(res.body.data["fields.0.name"].message).toContain("hides SQL's boolean");
      }
    });

    test("names that hide only a scalar function stay allowed (a table cannot hide one)", async () => {
      const t = await app;
      for (const name of ["date", "count", "json", "total"]) {
        const res = await t.request("POST", "/api/collections", { name, fields: [{ name: "max", type: "number" }] });
        expect(res.status).toBe(200);
      }
    });
  });
}

// What an older release did: store the collection without the name check.
async function createUnchecked(db: Db, name: string, triggerUrl: string): Promise<void> {
  const id = name.replaceAll("_", "").slice(0, 12).padEnd(16, "0");
  const now = new Date().toISOString();
  const c = {
    id,
    name,
    type: "base" as const,
    schema: [{ id: "title", name: "title", type: "text" as const, required: false, options: {} }],
    options: {
      triggers: [
        {
          id: `t_${name}`,
          action: "create" as const,
          url: triggerUrl,
          method: "POST",
          headers: {},
          retryLimit: 5,
          jwtEnabled: false,
          timeoutMs: 5000,
          active: true,
          paused: false,
        },
      ],
    },
    created: now,
    updated: now,
  };
  await db.batch(
    [
      {
        sql: "INSERT INTO _collections (id, name, type, schema, options, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
        args: [id, name, "base", JSON.stringify(c.schema), JSON.stringify(c.options), now, now],
      },
      ...createTableStatements(c),
      ...createCaptureTriggers(c),
      `INSERT INTO "${name}" (title) VALUES ('kept')`,
    ],
    "write",
  );
}

const oldDatabases: [string, () => Promise<{ url: string; stop?: () => Promise<void> }>][] = [
  ["an embedded file", async () => ({ url: tempDbUrl() })],
];
if (sqldAvailable)
  oldDatabases.push([
    "sqld",
    async () => {
      const s = await startSqld();
      return { url: s.url, stop: () => s.stop() };
    },
  ]);

for (const [backend, open] of oldDatabases) {
  test(`an older database on ${backend} holding json_each and fsdir collections, two instances starting at once: json_each is renamed once, fsdir kept, deliveries flow`, async () => {
    const receiver = startReceiver();
    const { url, stop } = await open();
    const first = await makeTestApp({ dbUrl: url });
    await first.request("POST", "/api/collections", {
      name: "posts",
      fields: [{ name: "title", type: "text" }],
      triggers: [{ action: "create", url: `${receiver.url}/posts` }],
    });
    await createUnchecked(first.deps.db, "json_each", `${receiver.url}/json_each`);
    await createUnchecked(first.deps.db, "fsdir", `${receiver.url}/fsdir`);
    first.deps.db.close();

    const warnings: Record<string, unknown>[] = [];
    const log: Logger = {
      debug() {},
      info() {},
      error() {},
      warn: (msg, fields) => void warnings.push({ msg, ...fields }),
    };
    const [deps, other] = await Promise.all([
      bootDeps(testConfig({ dbUrl: url }), log),
      bootDeps(testConfig({ dbUrl: url }), log),
    ]);
    other.db.close();
    const app = createApp(deps);
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await app.fetch(
        new Request(`http://hookd.test${path}`, {
          method,
          headers: { authorization: "Bearer test-token", "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      );
      return { status: res.status, body: (await res.json()) as any };
    };
    const dispatcher = await startDispatcher(deps);
    try {
      const renames = warnings.filter((w) => w.from === "json_each");
      expect(renames).toEqual([expect.objectContaining({ from: "json_each", to: "json_each_collection" })]);
      expect(warnings).toContainEqual(expect.objectContaining({ collection: "fsdir" }));
      expect((await call("GET", "/api/collections/json_each")).status).toBe(404);
      const moved = await call("GET", "/api/collections/json_each_collection/records");
      expect(moved.body.items.map((r: any) => r.title)).toEqual(["kept"]);
      expect((await call("GET", "/api/collections/fsdir/records")).body.items).toHaveLength(1);

      // Every collection delivers, the renamed one with its new name in the payload; the
      // deliveries the older release queued and could never claim go out too.
      for (const name of ["posts", "json_each_collection", "fsdir"])
        expect((await call("POST", `/api/collections/${name}/records`, { title: name })).status).toBe(200);
      const received = await receiver.waitFor(5);
      expect(received.map((r) => r.json.collection).sort()).toEqual([
        "fsdir",
        "fsdir",
        "json_each",
        "json_each_collection",
        "posts",
      ]);
      await waitForLogs(deps, "1", (rows) => rows.length === 5 && rows.every((r) => r.status === "success"));
    } finally {
      await dispatcher.stop();
      deps.db.close();
      await receiver.stop();
      await stop?.();
    }
  });
}

// Every table-valued function hookd's own SQL calls must be one start-up moves shadowing
// collections away from (HOOKD_TABLE_FUNCTIONS). SQL jobs' allow-lists are the job's SQL, not hookd's.
test("hookd's own SQL calls no table-valued function but those in HOOKD_TABLE_FUNCTIONS", () => {
  const scratch = new Database(":memory:");
  const modules = new Set((scratch.prepare("PRAGMA module_list").all() as { name: string }[]).map((r) => r.name));
  scratch.close();
  const root = join(import.meta.dir, "../../src");
  const called = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|sql)$/.test(entry) && !/sql_job/.test(entry) && !/dashboard\/client/.test(path)) {
        for (const m of readFileSync(path, "utf8").matchAll(/\b([a-z_][a-z0-9_]*)\s*\(/gi)) {
          const name = m[1]!.toLowerCase();
          if (modules.has(name) || name.startsWith("pragma_")) called.set(name, path);
        }
      }
    }
  };
  walk(root);
  expect(called.size).toBeGreaterThan(0);
  for (const [name, path] of called)
    expect({ name, path, allowed: HOOKD_TABLE_FUNCTIONS.includes(name) }).toEqual({ name, path, allowed: true });
});
