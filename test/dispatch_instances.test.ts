// Writes from elsewhere and several instances on one database file.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createClient } from "@libsql/client";
import { startReceiver, type Receiver } from "./support/receiver";
import { makeDispatchingApp, makeHookedCollection, settled, waitForLogs, type DispatchingApp } from "./support/deliveries";
import { tempDbUrl } from "./support/temp_db";

let receiver: Receiver;
beforeAll(() => {
  receiver = startReceiver();
});
afterAll(() => receiver.stop());

test("a row written by a second libSQL client on the same file is delivered within the poll interval", async () => {
  const dbUrl = tempDbUrl();
  const t = await makeDispatchingApp({ dbUrl, pollMs: 250 });
  const other = createClient({ url: dbUrl });
  try {
    await makeHookedCollection(t, "external", [{ action: "create", url: `${receiver.url}/external` }]);
    await other.execute("PRAGMA busy_timeout = 5000");
    const committed = Date.now();
    await other.execute("INSERT INTO external (title) VALUES ('written elsewhere')");
    const [row] = await waitForLogs(t.deps, "collection = 'external'", settled, 2_000);
    const req = receiver.requests.find((r) => r.path === "/external")!;
    expect(row!.status).toBe("success");
    expect(req.json.record.title).toBe("written elsewhere");
    expect(req.at - committed).toBeLessThan(250 + 100);
  } finally {
    other.close();
    await t.dispatcher.stop();
  }
});

test("on a file, another connection's commit is noticed at once, not a poll interval later", async () => {
  const dbUrl = tempDbUrl();
  // A poll a minute away: only the watch on other connections' commits can deliver in time.
  const t = await makeDispatchingApp({ dbUrl, pollMs: 60_000 });
  const other = createClient({ url: dbUrl });
  try {
    await makeHookedCollection(t, "watched", [{ action: "create", url: `${receiver.url}/watched` }]);
    await other.execute("PRAGMA busy_timeout = 5000");
    await other.execute("INSERT INTO watched (title) VALUES ('seen without a poll')");
    const [row] = await waitForLogs(t.deps, "collection = 'watched'", settled, 5_000);
    expect(row!.status).toBe("success");
    expect(receiver.requests.find((r) => r.path === "/watched")!.json.record.title).toBe("seen without a poll");
  } finally {
    other.close();
    await t.dispatcher.stop();
  }
});

test("two instances on one database deliver every row exactly once between them", async () => {
  const dbUrl = tempDbUrl();
  const instances: DispatchingApp[] = [];
  for (const instanceId of ["one", "two"]) instances.push(await makeDispatchingApp({ dbUrl, instanceId, concurrency: 8, pollMs: 20 }));
  const [a, b] = instances as [DispatchingApp, DispatchingApp];
  try {
    receiver.respond = () => ({ status: 200, delayMs: 2 });
    await makeHookedCollection(a, "shared", [{ action: "create", url: `${receiver.url}/shared` }]);
    // One transaction of 300 rows, seen by both instances' polls at about the same time.
    await a.deps.db.execute("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 300) INSERT INTO shared (title) SELECT 'r' || n FROM s");
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
