// What a receiver gets: the signed request of docs/delivery.md, custom headers, and payloads for every action.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { VERSION } from "../../src/version";
import { startReceiver, type Receiver } from "../support/receiver";
import {
  makeDispatchingApp,
  makeHookedCollection,
  settled,
  waitForLogs,
  type DispatchingApp,
} from "../support/deliveries";

let t: DispatchingApp;
let receiver: Receiver;

beforeAll(async () => {
  t = await makeDispatchingApp();
  receiver = startReceiver();
  await makeHookedCollection(t, "posts", [
    {
      action: "create",
      url: `${receiver.url}/created`,
      headers: { "X-Source": "hookd", "User-Agent": "custom-agent" },
    },
    { action: "UPDATE", url: `${receiver.url}/updated`, method: "put" },
    { action: "delete", url: `${receiver.url}/deleted?x=1` },
  ]);
});
afterAll(async () => {
  await t.dispatcher.stop();
  await receiver.stop();
});

async function received(path: string) {
  for (let i = 0; i < 1000; i++) {
    const found = receiver.requests.find((r) => r.path === path);
    if (found) return found;
    await Bun.sleep(5);
  }
  throw new Error(`nothing received at ${path}`);
}

test("create: POST with the signing headers, custom headers and the record; oldRecord is null", async () => {
  const before = Math.floor(Date.now() / 1000);
  const created = await t.request("POST", "/api/collections/posts/records", { title: "first" });
  const req = await received("/created");
  const [row] = await waitForLogs(t.deps, "action = 'create'", settled);
  expect(req.method).toBe("POST");
  expect(req.headers["content-type"]).toBe("application/json");
  expect(req.headers["user-agent"]).toBe("custom-agent");
  expect(req.headers["x-source"]).toBe("hookd");
  expect(req.headers["webhook-id"]).toBe(row!.id);
  expect(Number(req.headers["webhook-timestamp"])).toBeGreaterThanOrEqual(before);
  expect(req.headers.authorization).toBeUndefined();
  expect(req.json).toEqual({
    id: row!.id,
    action: "create",
    collection: "posts",
    record: created.body,
    oldRecord: null,
    timestamp: expect.any(String),
  });
  expect(row!.payload).toBe(req.body);
});

test("update: the trigger's method, the new values and the previous ones as oldRecord; User-Agent is hookd/<version>", async () => {
  const created = await t.request("POST", "/api/collections/posts/records", { title: "before" });
  const updated = await t.request("PATCH", `/api/collections/posts/records/${created.body.id}`, { title: "after" });
  const req = await received("/updated");
  expect(req.method).toBe("PUT");
  expect(req.headers["user-agent"]).toBe(`hookd/${VERSION}`);
  expect(req.json).toMatchObject({
    action: "update",
    collection: "posts",
    record: updated.body,
    oldRecord: created.body,
  });
  expect(req.json.record.title).toBe("after");
  expect(req.json.oldRecord.title).toBe("before");
});

test("delete: the deleted record as both record and oldRecord, query string kept", async () => {
  const created = await t.request("POST", "/api/collections/posts/records", { title: "doomed" });
  await t.request("DELETE", `/api/collections/posts/records/${created.body.id}`);
  const req = await received("/deleted");
  expect(req.json).toMatchObject({ action: "delete", record: created.body, oldRecord: created.body });
  const [row] = await waitForLogs(t.deps, "action = 'delete'", settled);
  expect(row).toMatchObject({ status: "success", url: `${receiver.url}/deleted?x=1`, record_id: created.body.id });
});

test("a write in SQL (as a cron job would do) is captured and delivered like an API write", async () => {
  await t.deps.db.execute("INSERT INTO posts (title) VALUES ('from sql')");
  t.deps.signals.deliveriesQueued.emit();
  const rows = await waitForLogs(t.deps, "action = 'create' AND payload LIKE '%from sql%'", settled);
  expect(rows[0]!.status).toBe("success");
});
