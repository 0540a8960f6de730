// Writes from elsewhere and several instances on one database file.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createClient } from "@libsql/client";
import { startReceiver, type Receiver } from "../support/receiver";
import {
  makeDispatchingApp,
  makeHookedCollection,
  settled,
  waitForLogs,
  type DispatchingApp,
} from "../support/deliveries";
import { startDispatcher } from "../../src/dispatch/dispatcher";
import { FakeTimers } from "../support/fake_timers";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp } from "../support/test_app";

let receiver: Receiver;
beforeAll(() => {
  receiver = startReceiver();
});
afterAll(() => receiver.stop());

/** writtenElsewhere inserts one row through a second libSQL client on the file and answers its delivery; with fake timers, one poll interval passes after the commit, and no more. */
async function writtenElsewhere(collection: string, pollMs: number, waitMs: number, time?: FakeTimers) {
  const dbUrl = tempDbUrl();
  const app = await makeTestApp({ dbUrl, pollMs }, { timers: time });
  const t = { ...app, dispatcher: await startDispatcher(app.deps) };
  const other = createClient({ url: dbUrl });
  try {
    await makeHookedCollection(t, collection, [{ action: "create", url: `${receiver.url}/${collection}` }]);
    await other.execute("PRAGMA busy_timeout = 5000");
    await other.execute(`INSERT INTO ${collection} (title) VALUES ('written elsewhere')`);
    time?.advance(pollMs);
    const [row] = await waitForLogs(t.deps, `collection = '${collection}'`, settled, waitMs);
    const req = receiver.requests.find((r) => r.path === `/${collection}`)!;
    return { status: row!.status, title: req.json.record.title };
  } finally {
    other.close();
    await t.dispatcher.stop();
  }
}

test("a row written by a second libSQL client on the same file is delivered within the poll interval", async () => {
  const got = await writtenElsewhere("external", 250, 10_000, new FakeTimers());
  expect([got.status, got.title]).toEqual(["success", "written elsewhere"]);
});

test("on a file, another connection's commit is noticed at once, not a poll interval later", async () => {
  // A poll a minute away: only the watch on other connections' commits can deliver in time.
  const got = await writtenElsewhere("watched", 60_000, 5_000);
  expect([got.status, got.title]).toEqual(["success", "written elsewhere"]);
});

test("two instances on one database deliver every row exactly once between them", async () => {
  const dbUrl = tempDbUrl();
  const instances: DispatchingApp[] = [];
  for (const instanceId of ["one", "two"])
    instances.push(await makeDispatchingApp({ dbUrl, instanceId, concurrency: 8, pollMs: 20 }));
  const [a, b] = instances as [DispatchingApp, DispatchingApp];
  try {
    receiver.respond = () => ({ status: 200, delayMs: 2 });
    await makeHookedCollection(a, "shared", [{ action: "create", url: `${receiver.url}/shared` }]);
    // One transaction of 300 rows, seen by both instances' polls at about the same time.
    await a.deps.db.execute(
      "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 300) INSERT INTO shared (title) SELECT 'r' || n FROM s",
    );
    a.dispatcher.wake();
    b.dispatcher.wake();
    const rows = await waitForLogs(a.deps, "collection = 'shared'", (r) => r.length === 300 && settled(r), 10_000);
    expect(rows.every((r) => r.status === "success" && r.tries === 1)).toBe(true);
    const ids = receiver.requests.filter((r) => r.path === "/shared").map((r) => r.headers["webhook-id"]);
    expect(ids).toHaveLength(300);
    expect(new Set(ids).size).toBe(300);
  } finally {
    receiver.respond = () => ({ status: 200 });
    await a.dispatcher.stop();
    await b.dispatcher.stop();
  }
});
