// Payloads carry the values the record API answers: numbers exactly (SQLite's JSON functions
// print 15 digits), and bytes written by SQL as the same hex text the API shows, on an
// embedded file and on a libSQL server. A condition literal a double cannot hold is a 400.
import { afterAll, describe, expect, test } from "bun:test";
import { startDispatcher } from "../../src/dispatch/dispatcher";
import type { Deps } from "../../src/deps";
import { startReceiver } from "../support/receiver";
import { sqldAvailable, startSqld } from "../support/sqld";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp } from "../support/test_app";

const NUMBERS = [
  0.1 + 0.2,
  1234567890123.4568,
  123456789012345680,
  1,
  0.1,
  -0.5,
  1e-7,
  5e-324,
  1.7976931348623157e308,
  2 ** 53 + 2,
  1e21,
  123.456,
  0.7999999999999999,
  -(2 ** 60),
];

const backends: [string, () => Promise<{ url: string; stop?: () => Promise<void> }>][] = [
  ["an embedded file", async () => ({ url: tempDbUrl() })],
];
if (sqldAvailable)
  backends.push([
    "sqld",
    async () => {
      const s = await startSqld();
      return { url: s.url, stop: () => s.stop() };
    },
  ]);

/** deliveryOf waits for a record's delivery to a path and answers what the receiver got. */
async function deliveryOf(deps: Deps, path: string, id: string) {
  deps.signals.deliveriesQueued.emit();
  while (true) {
    const got = receiver.requests.find((r) => r.path === path && r.json?.record?.id === id);
    if (got) return got;
    await Bun.sleep(5);
  }
}

const receiver = startReceiver();
afterAll(() => receiver.stop());

for (const [backend, open] of backends) {
  describe(`captured values on ${backend}`, () => {
    // One receiver for both backends: record ids tell their deliveries apart.
    const [bySql, blobs] = [`bysql_${backend.length}`, `blobs_${backend.length}`];
    const opened = open();
    const setup = opened.then(async ({ url }) => {
      const t = await makeTestApp({ dbUrl: url });
      const dispatcher = await startDispatcher(t.deps);
      const res = await t.request("POST", "/api/collections", {
        name: "measures",
        fields: [
          { name: "n", type: "number" },
          { name: "note", type: "text" },
          { name: "doc", type: "json" },
        ],
        triggers: [
          { action: "create", url: `${receiver.url}/create` },
          { action: "update", url: `${receiver.url}/update` },
        ],
      });
      expect(res.status).toBe(200);
      return { t, dispatcher };
    });
    afterAll(async () => {
      const { t, dispatcher } = await setup;
      await dispatcher.stop();
      t.deps.db.close();
      await (await opened).stop?.();
    });

    test("every number reaches the receiver as the value the API answers, in the payload text too", async () => {
      const { t } = await setup;
      const before = receiver.requests.length;
      const answered = [];
      for (const n of NUMBERS) {
        const res = await t.request("POST", "/api/collections/measures/records", { n, doc: { n } });
        expect(res.status).toBe(200);
        answered.push(res.body);
      }
      const received = (await receiver.waitFor(before + NUMBERS.length)).slice(before);
      const byId = new Map(received.map((r) => [r.json.record.id, r]));
      for (const [i, record] of answered.entries()) {
        const got = byId.get(record.id)!;
        expect({ n: got.json.record.n, doc: got.json.record.doc }).toEqual({ n: NUMBERS[i], doc: { n: NUMBERS[i] } });
        expect(Object.is(got.json.record.n, record.n)).toBe(true);
      }
      // 1 is 1, not 1.0 (a client that tells integers from floats sees the same type).
      const one = byId.get(answered[NUMBERS.indexOf(1)].id)!;
      expect(one.body).toContain('"n":1,');
    });

    test("a number written by SQL is captured exactly too", async () => {
      const { t } = await setup;
      await t.deps.db.execute({ sql: "INSERT INTO measures (id, n) VALUES (?, 0.1 + 0.2)", args: [bySql] });
      const got = await deliveryOf(t.deps, "/create", bySql);
      expect(got.json.record.n).toBe(0.30000000000000004);
      expect((await t.request("GET", `/api/collections/measures/records/${bySql}`)).body.n).toBe(0.30000000000000004);
    });

    test("bytes written by SQL into text and json fields read as hex, update (the old row is captured) and deliver", async () => {
      const { t } = await setup;
      await t.deps.db.execute({
        sql: "INSERT INTO measures (id, note, doc, n) VALUES (?, ?, ?, ?)",
        args: [blobs, new Uint8Array([1, 2, 0xfe]), new Uint8Array([0x7b, 0x7d]), new Uint8Array([9])],
      });
      const rest = await t.request("GET", `/api/collections/measures/records/${blobs}`);
      expect(rest.status).toBe(200);
      expect([rest.body.note, rest.body.doc, rest.body.n]).toEqual(["0102FE", "7B7D", "09"]);
      const gql = await t.graphql(`{ record(collection: "measures", id: "${blobs}") }`);
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.record.note).toBe("0102FE");

      const patched = await t.request("PATCH", `/api/collections/measures/records/${blobs}`, { note: "text again" });
      expect(patched.status).toBe(200);
      expect(patched.body.note).toBe("text again");
      const got = await deliveryOf(t.deps, "/update", blobs);
      expect(got!.json.oldRecord).toMatchObject({ note: "0102FE", doc: "7B7D", n: "09" });
      expect(got!.json.record).toMatchObject({ note: "text again", doc: "7B7D" });
      const viaGraphql = await t.graphql(
        `mutation { updateRecord(collection: "measures", id: "${blobs}", data: { doc: { ok: true } }) }`,
      );
      expect(viaGraphql.body.errors).toBeUndefined();
    });

    test("a condition literal a double cannot hold exactly is a 400 naming the condition", async () => {
      const { t } = await setup;
      for (const condition of ["n = 9007199254740993", "n > 0.3000000000000000444"]) {
        const res = await t.request("PATCH", "/api/collections/measures", {
          triggers: [{ id: "exact", action: "create", url: `${receiver.url}/x`, condition }],
        });
        expect(res.status).toBe(400);
        expect(Object.keys(res.body.data)).toEqual(["triggers.0.condition"]);
        expect(res.body.message).toContain("cannot be held exactly");
      }
      const fine = await t.request("PATCH", "/api/collections/measures", {
        triggers: [
          { id: "exact", action: "create", url: `${receiver.url}/x`, condition: "n = 9007199254740992 || n = 0.1" },
        ],
      });
      expect(fine.status).toBe(200);
    });
  });
}
