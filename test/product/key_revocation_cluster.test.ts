// Revoking a key on one instance: refused there at once, and by another instance sharing the
// libSQL server as soon as its cached entry is HOOKD_POLL_MS old. The second instance runs on
// a clock the test moves, so "within HOOKD_POLL_MS" is checked without waiting on real time.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Clock } from "../../src/runtime/clock";
import { bearer } from "../support/keys";
import { send } from "../support/scenario";
import { sqldAvailable, startSqld, type Sqld } from "../support/sqld";
import { makeTestApp, type TestApp } from "../support/test_app";

const POLL_MS = 250;

describe.skipIf(!sqldAvailable)("revocation across instances on sqld", () => {
  let sqld: Sqld;
  let a: TestApp;
  let b: TestApp;
  let offsetMs = 0;
  const movedClock: Clock = { now: () => new Date(Date.now() + offsetMs) };

  beforeAll(async () => {
    sqld = await startSqld();
    a = await makeTestApp({ dbUrl: sqld.url, pollMs: POLL_MS });
    b = await makeTestApp({ dbUrl: sqld.url, pollMs: POLL_MS }, { clock: movedClock });
  });
  afterAll(async () => {
    a?.deps.db.close();
    b?.deps.db.close();
    await sqld?.stop();
  });

  const logsAs = (t: TestApp, key: string) =>
    send(t, { method: "GET", url: "/api/webhooks/logs", headers: bearer(key) });

  test("a key made on one instance works on the other; revoked, it stops on both", async () => {
    const made = await a.request("POST", "/api/keys", { name: "shared", scopes: ["logs:read"] });
    expect(made.status).toBe(200);
    expect((await logsAs(b, made.body.key)).status).toBe(200);
    expect((await logsAs(a, made.body.key)).status).toBe(200);

    expect((await a.request("DELETE", `/api/keys/${made.body.id}`)).status).toBe(204);
    expect((await logsAs(a, made.body.key)).status).toBe(401);

    // b read the key less than HOOKD_POLL_MS ago (by its clock) and may still answer from its cache…
    offsetMs += POLL_MS - 1;
    expect([200, 401]).toContain((await logsAs(b, made.body.key)).status);
    // …but once the entry is HOOKD_POLL_MS old, b reads the database again and refuses.
    offsetMs += 1;
    expect((await logsAs(b, made.body.key)).status).toBe(401);
  });

  test("a key's scopes are those stored, whichever instance made it", async () => {
    const made = await b.request("POST", "/api/keys", { name: "narrow", scopes: ["records:read:posts"] });
    const res = await logsAs(a, made.body.key);
    expect(res.status).toBe(403);
    expect(res.json.data.scope.message).toBe("logs:read");
  });
});
