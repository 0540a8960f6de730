// VSKI / RocketBase client compatibility, with the request shapes of docs/api.md and the VSKI
// webhooks wiki: options as a JSON string, top-level triggers, `enabled`, upper-case
// actions, the x-dbname header, PocketBase-style extra keys, list parameters and bulk calls.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, TOKEN, type TestApp } from "../support/test_app";
import { countRows, runScenarios, send, type Scenario } from "../support/scenario";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.deps.db.close());

// VSKI clients send the database name and may use either header for the token.
const VSKI = { "x-api-key": TOKEN, "x-dbname": "default" };
const BEARER_VSKI = { authorization: `Bearer ${TOKEN}`, "x-dbname": "some-other-db" };

const deliveries = async (app: TestApp, collection: string) =>
  (
    await app.deps.db.execute({
      sql: "SELECT action, url, method, headers, retry_limit, payload FROM _webhook_logs WHERE collection = ? ORDER BY rowid",
      args: [collection],
    })
  ).rows;

/** vski is a scenario sent with VSKI's headers. */
const vski = (s: Omit<Scenario, "headers">, headers: Record<string, string> = VSKI): Scenario => ({ ...s, headers });

describe("the wiki's 'Testing Webhooks' example", () => {
  runScenarios(
    () => t,
    [
      vski({
        name: "client.settings.collections.create with options as a JSON string",
        method: "POST",
        url: "/api/collections",
        body: {
          name: "test_collection",
          type: "base",
          schema: [{ name: "data", type: "text", required: true }],
          options: JSON.stringify({
            triggers: [{ action: "create", url: "https://webhook.site/your-unique-id", method: "POST" }],
          }),
        },
        expectedStatus: 200,
        expectedContent: [
          '"name":"test_collection"',
          '"triggers":[{"action":"create","url":"https://webhook.site/your-unique-id","method":"POST"',
        ],
      }),
      vski({
        name: 'client.collection("test_collection").create enqueues the trigger\'s delivery',
        method: "POST",
        url: "/api/collections/test_collection/records",
        body: { data: "Test data" },
        expectedStatus: 200,
        expectedContent: ['"data":"Test data"'],
        after: async (app, body) => {
          const rows = await deliveries(app, "test_collection");
          expect(rows).toHaveLength(1);
          expect(rows[0]).toMatchObject({
            action: "create",
            url: "https://webhook.site/your-unique-id",
            method: "POST",
          });
          const payload = JSON.parse(String(rows[0]!.payload));
          expect(payload).toMatchObject({
            action: "create",
            collection: "test_collection",
            record: { id: body.id, data: "Test data" },
            oldRecord: null,
          });
        },
      }),
    ],
  );
});

describe("documented request shapes", () => {
  runScenarios(
    () => t,
    [
      vski(
        {
          name: "triggers at the top level beside fields, INSERT/UPDATE/DELETE, enabled",
          method: "POST",
          url: "/api/collections",
          body: {
            name: "notifications",
            type: "base",
            fields: [
              { name: "title", type: "text", required: true },
              { name: "message", type: "text" },
              { name: "status", type: "select", options: { values: ["active", "done"] } },
            ],
            triggers: [
              {
                action: "INSERT",
                url: "https://example.com/created",
                enabled: true,
                headers: { "X-Source": "vski" },
                retryLimit: 3,
              },
              { action: "UPDATE", url: "https://example.com/updated", method: "PUT", enabled: true },
              { action: "DELETE", url: "https://example.com/deleted", enabled: false },
            ],
          },
          expectedStatus: 200,
          after: (_app, body) => {
            expect(body.options.triggers.map((tr: any) => [tr.action, tr.active])).toEqual([
              ["create", true],
              ["update", true],
              ["delete", false],
            ]);
            expect(body.options.triggers[0]).toMatchObject({
              headers: { "X-Source": "vski" },
              retryLimit: 3,
              method: "POST",
            });
          },
        },
        BEARER_VSKI,
      ),
      vski({
        name: "the wiki's 'Manual Testing' record create",
        method: "POST",
        url: "/api/collections/notifications/records",
        body: { title: "Test Notification", message: "This is a test", status: "active" },
        expectedStatus: 200,
        after: async (app) =>
          expect((await deliveries(app, "notifications")).map((r) => r.url)).toEqual(["https://example.com/created"]),
      }),
      vski({
        name: "an update fires the UPDATE trigger with the old record",
        method: "POST",
        url: "/api/collections/notifications/records",
        body: { id: "n2", title: "second" },
        expectedStatus: 200,
        after: async (app) => {
          const res = await send(app, {
            method: "PATCH",
            url: "/api/collections/notifications/records/n2",
            headers: VSKI,
            body: { status: "done" },
          });
          expect(res.status).toBe(200);
          const rows = await deliveries(app, "notifications");
          const update = rows.find((r) => r.action === "update")!;
          expect(update).toMatchObject({ url: "https://example.com/updated", method: "PUT" });
          const payload = JSON.parse(String(update.payload));
          expect(payload.record.status).toBe("done");
          expect(payload.oldRecord.status).toBeNull();
        },
      }),
      vski({
        name: "a disabled (enabled: false) DELETE trigger enqueues nothing",
        method: "DELETE",
        url: "/api/collections/notifications/records/n2",
        expectedStatus: 204,
        after: async (app) =>
          expect((await deliveries(app, "notifications")).filter((r) => r.action === "delete")).toHaveLength(0),
      }),
      vski({
        name: "PATCH the collection's triggers with options as a JSON string",
        method: "PATCH",
        url: "/api/collections/notifications",
        body: {
          options: JSON.stringify({
            triggers: [{ action: "DELETE", url: "https://example.com/deleted", enabled: true }],
          }),
        },
        expectedStatus: 200,
        expectedContent: ['"triggers":[{"action":"delete"', '"active":true'],
        notExpectedContent: ['"action":"create"'],
      }),
      vski({
        name: "PATCH the collection's triggers at the top level",
        method: "PATCH",
        url: "/api/collections/notifications",
        body: { triggers: [{ action: "insert", url: "https://example.com/created-again" }] },
        expectedStatus: 200,
        expectedContent: ['"triggers":[{"action":"create","url":"https://example.com/created-again"'],
      }),
      vski({
        name: "active wins over enabled when both are sent",
        method: "POST",
        url: "/api/collections",
        body: {
          name: "both_flags",
          fields: [],
          triggers: [{ action: "create", url: "https://example.com/x", enabled: true, active: false }],
        },
        expectedStatus: 200,
        expectedContent: ['"active":false'],
      }),
      vski({
        name: "PocketBase-style field objects and collection keys are accepted",
        method: "POST",
        url: "/api/collections",
        body: {
          name: "pb_style",
          type: "base",
          system: false,
          listRule: null,
          viewRule: "",
          indexes: [],
          schema: [
            {
              system: false,
              id: "abc12345",
              name: "title",
              type: "text",
              required: false,
              presentable: false,
              unique: false,
              options: { min: null, max: null, pattern: "" },
            },
          ],
          options: "{}",
        },
        expectedStatus: 200,
        expectedContent: ['"name":"pb_style"', '"name":"title","type":"text"'],
      }),
      vski({
        name: "GET /api/collections answers the page shape",
        method: "GET",
        url: "/api/collections?page=1&perPage=2&sort=-created&filter=",
        expectedStatus: 200,
        after: async (app, body) => {
          expect(Object.keys(body).sort()).toEqual(["items", "page", "perPage", "totalItems", "totalPages"]);
          expect(body).toMatchObject({ page: 1, perPage: 2, totalItems: await countRows(app, "_collections") });
          expect(body.items).toHaveLength(2);
        },
      }),
      vski({
        name: "record lists take page, perPage, sort and ignore the SDK's other parameters",
        method: "GET",
        url: "/api/collections/notifications/records?page=1&perPage=10&sort=-created,title&skipTotal=1&expand=owner&filter=status%3D'active'&fields=*",
        expectedStatus: 200,
        expectedContent: ['"page":1', '"perPage":10', '"title":"Test Notification"'],
      }),
    ],
  );
});

describe("bulk calls", () => {
  beforeAll(async () => {
    for (const id of ["b1", "b2", "b3"])
      expect((await t.request("POST", "/api/collections/notifications/records", { id, title: id })).status).toBe(200);
  });
  runScenarios(
    () => t,
    [
      vski({
        name: "PATCH …/records/bulk {ids, data} → {updated: [ids]}",
        method: "PATCH",
        url: "/api/collections/notifications/records/bulk",
        body: { ids: ["b1", "b2"], data: { status: "done" } },
        expectedStatus: 200,
        after: async (app, body) => {
          expect(body).toEqual({ updated: ["b1", "b2"] });
          const rs = await app.deps.db.execute(
            "SELECT id, status FROM notifications WHERE id IN ('b1', 'b2', 'b3') ORDER BY id",
          );
          expect(rs.rows.map((r) => [r.id, r.status])).toEqual([
            ["b1", "done"],
            ["b2", "done"],
            ["b3", null],
          ]);
        },
      }),
      vski({
        name: "DELETE …/records/bulk {ids} → {deleted: [ids]}",
        method: "DELETE",
        url: "/api/collections/notifications/records/bulk",
        body: { ids: ["b1", "b3"] },
        expectedStatus: 200,
        after: async (app, body) => {
          expect(body).toEqual({ deleted: ["b1", "b3"] });
          const rs = await app.deps.db.execute("SELECT id FROM notifications WHERE id IN ('b1', 'b2', 'b3')");
          expect(rs.rows.map((r) => r.id)).toEqual(["b2"]);
          // The last PATCH replaced the DELETE trigger with a create trigger, so no delete is captured,
          // while each of the three creates above was.
          const rows = await deliveries(app, "notifications");
          expect(rows.filter((r) => r.action === "delete")).toHaveLength(0);
          expect(rows.filter((r) => r.url === "https://example.com/created-again")).toHaveLength(3);
        },
      }),
    ],
  );
});

test("the x-dbname header changes nothing: both names see the same collections", async () => {
  const a = await send(t, {
    method: "GET",
    url: "/api/collections?perPage=500",
    headers: { ...VSKI, "x-dbname": "alpha" },
  });
  const b = await send(t, {
    method: "GET",
    url: "/api/collections?perPage=500",
    headers: { ...VSKI, "x-dbname": "beta" },
  });
  expect(a.status).toBe(200);
  expect(a.json.items.map((c: any) => c.name)).toEqual(b.json.items.map((c: any) => c.name));
});
