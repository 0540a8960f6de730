// Delivery ids sort by creation (deliveries/delivery_id.ts): captured in SQL, many in one
// statement, or made in code, they are 32 hex digits, unique, and each newer one sorts after
// the older ones, so they append to the id-keyed indexes; the payload carries the same id.
import { afterAll, describe, expect, test } from "bun:test";
import { newDeliveryId } from "../../src/deliveries/delivery_id";
import { databaseBackends } from "../support/sqld";
import { makeTestApp } from "../support/test_app";

const HEX32 = /^[0-9a-f]{32}$/;
const sorted = (ids: string[]) => [...ids].sort();

test("ids made in code: 32 hex digits, led by the time, unique within one millisecond", () => {
  const at = Date.parse("2026-11-27T12:00:00.000Z");
  const ids = Array.from({ length: 1000 }, () => newDeliveryId(at));
  for (const id of ids) expect(id).toMatch(HEX32);
  expect(new Set(ids).size).toBe(1000);
  expect(new Set(ids.map((id) => id.slice(0, 12))).size).toBe(1);
  expect(newDeliveryId(at + 1) > sorted(ids).at(-1)!).toBe(true);
});

for (const [backend, open] of databaseBackends()) {
  describe(`ids captured in SQL (${backend})`, async () => {
    const db = await open();
    const t = await makeTestApp({ dbUrl: db.url });
    afterAll(async () => {
      t.deps.db.close();
      await db.stop?.();
    });
    await t.request("POST", "/api/collections", {
      name: "posts",
      fields: [{ name: "n", type: "number" }],
      triggers: [
        { action: "create", url: "http://127.0.0.1:9/a" },
        { action: "create", url: "http://127.0.0.1:9/b" },
      ],
    });

    test("one statement capturing 600 deliveries in the same millisecond: unique, in capture order, the payload's id the row's", async () => {
      await t.deps.db.execute(
        "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 300) INSERT INTO posts (n) SELECT n FROM s",
      );
      const rows = (
        await t.deps.db.execute("SELECT id, payload ->> '$.id' AS payload_id FROM _webhook_logs ORDER BY rowid")
      ).rows;
      const ids = rows.map((r) => String(r.id));
      expect(ids).toHaveLength(600);
      for (const id of ids) expect(id).toMatch(HEX32);
      expect(new Set(ids).size).toBe(600);
      expect(ids).toEqual(sorted(ids));
      for (const r of rows) expect(r.payload_id).toBe(r.id);
    });

    test("a later write's deliveries sort after the earlier ones, and their time prefix is now", async () => {
      const before = (await t.deps.db.execute("SELECT max(id) AS id FROM _webhook_logs")).rows[0]!.id as string;
      await Bun.sleep(2);
      const res = await t.request("POST", "/api/collections/posts/records", { n: 1 });
      expect(res.status).toBe(200);
      const ids = (
        await t.deps.db.execute({ sql: "SELECT id FROM _webhook_logs WHERE record_id = ?", args: [res.body.id] })
      ).rows.map((r) => String(r.id));
      expect(ids).toHaveLength(2);
      for (const id of ids) {
        expect(id > before).toBe(true);
        expect(Math.abs(parseInt(id.slice(0, 12), 16) - Date.now())).toBeLessThan(60_000);
      }
    });
  });
}
