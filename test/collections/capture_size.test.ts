// One write may queue at most MAX_CAPTURE_BYTES of payloads (the row's size times the
// triggers on its action): a 1 MB record on a collection with 100 triggers wrote 100 MB into
// _webhook_logs with the write lock held. Past the bound the write is refused — a 413 through
// the API, an error for SQL — and nothing is written.
import { afterAll, describe, expect, test } from "bun:test";
import { MAX_CAPTURE_BYTES } from "../../src/db/db_errors";
import { databaseBackends } from "../support/sqld";
import { makeTestApp } from "../support/test_app";

const TRIGGERS = 20;
const big = "x".repeat(Math.ceil(MAX_CAPTURE_BYTES / TRIGGERS) + 1000); // just over the bound with 20 triggers
const fits = "x".repeat(Math.floor(MAX_CAPTURE_BYTES / TRIGGERS / 2) - 1000); // an update copies old and new: half

for (const [backend, open] of databaseBackends()) {
  describe(`the capture bound on ${backend}`, () => {
    const opened = open();
    const setup = opened.then(async ({ url }) => {
      const t = await makeTestApp({ dbUrl: url });
      const triggers = ["create", "update", "delete"].flatMap((action) =>
        Array.from({ length: TRIGGERS }, (_, i) => ({
          id: `${action}${i}`,
          action,
          url: "http://127.0.0.1:9/hook",
          paused: true,
        })),
      );
      const res = await t.request("POST", "/api/collections", {
        name: "docs",
        fields: [{ name: "body", type: "text" }],
        triggers,
      });
      expect(res.status).toBe(200);
      return t;
    });
    afterAll(async () => {
      (await setup).deps.db.close();
      await (await opened).stop?.();
    });

    const logCount = async () =>
      Number((await (await setup).deps.db.execute("SELECT count(*) AS n FROM _webhook_logs")).rows[0]!.n);

    test("a create over the bound is a 413 naming the bound; no record, no log row", async () => {
      const t = await setup;
      const before = await logCount();
      const res = await t.request("POST", "/api/collections/docs/records", { id: "toobig", body: big });
      expect(res.status).toBe(413);
      expect(res.body.code).toBe("CAPTURE_TOO_LARGE");
      expect(res.body.message).toContain(String(MAX_CAPTURE_BYTES));
      expect((await t.request("GET", "/api/collections/docs/records/toobig")).status).toBe(404);
      expect(await logCount()).toBe(before);
      const gql = await t.graphql(`mutation($d: JSON!) { createRecord(collection: "docs", data: $d) }`, {
        d: { body: big },
      });
      expect(gql.body.errors[0].extensions.code).toBe("CAPTURE_TOO_LARGE");
    });

    test("under the bound it is written and captured once per trigger; an update that would pass it is refused", async () => {
      const t = await setup;
      const before = await logCount();
      const res = await t.request("POST", "/api/collections/docs/records", { id: "fits", body: fits });
      expect(res.status).toBe(200);
      expect(await logCount()).toBe(before + TRIGGERS);
      const grown = await t.request("PATCH", "/api/collections/docs/records/fits", { body: big });
      expect(grown.status).toBe(413);
      expect((await t.request("GET", "/api/collections/docs/records/fits")).body.body).toBe(fits);
    });

    test("a write by SQL over the bound fails with the same message", async () => {
      const t = await setup;
      const err = await t.deps.db.execute({ sql: "INSERT INTO docs (id, body) VALUES ('bysql', ?)", args: [big] }).then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.message).toContain("hookd: capture too large");
      expect((await t.request("GET", "/api/collections/docs/records/bysql")).status).toBe(404);
    });
  });
}
