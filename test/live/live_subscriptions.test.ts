// GraphQL subscriptions over SSE with a real graphql-sse client on a real socket: a
// delivery's state changes, including those made by a second instance on the same database;
// the admin token is required; a quiet stream stays open past the server's idle timeout.
import { afterAll, describe, expect, test } from "bun:test";
import { createClient, type Client } from "graphql-sse";
import { startDispatcher } from "../../src/dispatch/dispatcher";
import { makeHookedCollection } from "../support/deliveries";
import { startReceiver } from "../support/receiver";
import { tempDbUrl } from "../support/temp_db";
import { waitUntil } from "../support/wait";
import { makeTestApp, TOKEN, type TestApp } from "../support/test_app";

const LOG_FIELDS = "id status tries collection httpStatus";
const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

function serve(t: TestApp): string {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: t.app.fetch });
  cleanup.push(() => server.stop(true));
  return `http://127.0.0.1:${server.port}`;
}

/** Stream collects what a subscription sends, and waits until a condition holds. */
interface Stream<T> {
  events: T[];
  until(done: (events: T[]) => boolean, timeoutMs?: number): Promise<T[]>;
}

function subscribe<T>(client: Client, query: string, pick: (data: any) => T): Stream<T> {
  const events: T[] = [];
  const errors: unknown[] = [];
  const dispose = client.subscribe(
    { query },
    {
      next: (r) => (r.errors ? errors.push(r.errors) : events.push(pick(r.data))),
      error: (e) => errors.push(e),
      complete: () => {},
    },
  );
  cleanup.push(dispose);
  return {
    events,
    async until(done, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (!done(events)) {
        if (errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
        if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(events)}`);
        await Bun.sleep(10);
      }
      return events;
    },
  };
}

/** subscribed waits until the app counts one open subscription: its feed is listening from then on. */
function subscribed(t: TestApp): Promise<void> {
  return waitUntil("the subscription to be in place", () => t.deps.live.limit.count === 1);
}

function sseClient(url: string): Client {
  const client = createClient({
    url: `${url}/graphql`,
    headers: { authorization: `Bearer ${TOKEN}` },
    retryAttempts: 0,
  });
  cleanup.push(() => client.dispose());
  return client;
}

describe("webhookLogUpdated", () => {
  test("follows a delivery made by a second instance on the same database: created, cancelled, re-queued", async () => {
    const dbUrl = tempDbUrl();
    const a = await makeTestApp({ dbUrl, pollMs: 50, instanceId: "a" });
    const b = await makeTestApp({ dbUrl, pollMs: 50, instanceId: "b" });
    const stream = subscribe(
      sseClient(serve(a)),
      `subscription { webhookLogUpdated(filter: {collection: "orders"}) { ${LOG_FIELDS} } }`,
      (d) => d.webhookLogUpdated,
    );
    await subscribed(a); // on a

    // Everything below goes through b; a sees it only through the database.
    await makeHookedCollection(b, "orders", [{ action: "create", url: "http://127.0.0.1:9/orders" }]);
    await makeHookedCollection(b, "others", [{ action: "create", url: "http://127.0.0.1:9/others" }]);
    await b.request("POST", "/api/collections/others/records", { title: "not for this stream" });
    await b.request("POST", "/api/collections/orders/records", { title: "one" });
    const [created] = await stream.until((e) => e.length >= 1);
    expect(created).toMatchObject({ status: "PENDING", tries: 0, collection: "orders" });

    expect((await b.request("POST", "/api/webhooks/logs/cancel", { filter: { collection: "orders" } })).body).toEqual({
      count: 1,
    });
    await stream.until((e) => e.length >= 2);
    expect((await b.request("POST", "/api/webhooks/logs/retry", { filter: { collection: "orders" } })).body).toEqual({
      count: 1,
    });
    const events = await stream.until((e) => e.length >= 3);
    expect(events.map((e: any) => [e.id, e.status])).toEqual([
      [created.id, "PENDING"],
      [created.id, "CANCELLED"],
      [created.id, "PENDING"],
    ]);
  });

  test("follows a delivery through its attempts on this instance: in flight, retried, delivered", async () => {
    const receiver = startReceiver();
    cleanup.push(() => receiver.stop());
    // Slow answers keep each state visible for longer than a poll; the first one fails.
    receiver.respond = (_r, i) => ({ status: i === 0 ? 503 : 200, delayMs: 300 });
    const t = await makeTestApp({ pollMs: 30, retryBaseMs: 300 });
    const dispatcher = await startDispatcher(t.deps);
    cleanup.push(() => dispatcher.stop());
    await makeHookedCollection(t, "orders", [{ action: "create", url: `${receiver.url}/orders` }]);
    const stream = subscribe(
      sseClient(serve(t)),
      `subscription { webhookLogUpdated(filter: {collection: "orders"}) { ${LOG_FIELDS} } }`,
      (d) => d.webhookLogUpdated,
    );
    await subscribed(t);
    await t.request("POST", "/api/collections/orders/records", { title: "one" });
    const events = await stream.until((e) => e.some((x: any) => x.status === "SUCCESS"), 8_000);
    const states = events.map((e: any) => `${e.status.toLowerCase()}/${e.tries}`);
    expect(states[0]).toBe("pending/0"); // created (announced even when the claim came before the poll)
    expect(states).toContain("processing/0");
    expect(states).toContain("pending/1"); // waiting for the retry after the 503
    expect(states).toContain("processing/1");
    expect(states.at(-1)).toBe("success/2");
    expect(events.at(-1)).toMatchObject({ httpStatus: 200 });
  });

  test("needs the admin token, like every GraphQL request", async () => {
    const t = await makeTestApp();
    const res = await fetch(`${serve(t)}/graphql`, {
      method: "POST",
      headers: { accept: "text/event-stream", "content-type": "application/json" },
      body: JSON.stringify({ query: "subscription { webhookLogUpdated { id } }" }),
    });
    expect(res.status).toBe(401);
  });

  test("a wrong filter value is refused with VALIDATION", async () => {
    const t = await makeTestApp();
    const res = await fetch(`${serve(t)}/graphql`, {
      method: "POST",
      headers: { accept: "text/event-stream", "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ query: 'subscription { webhookLogUpdated(filter: {since: "soon"}) { id } }' }),
    });
    expect(await res.text()).toContain('"code":"VALIDATION"');
  });
});

describe("recordChanged", () => {
  test("streams creates, updates and deletes of one collection, with the row before the change", async () => {
    const t = await makeTestApp();
    for (const name of ["notes", "other"])
      await t.request("POST", "/api/collections", { name, fields: [{ name: "title", type: "text" }] });
    const stream = subscribe(
      sseClient(serve(t)),
      `subscription { recordChanged(collection: "notes") { action collection record oldRecord } }`,
      (d) => d.recordChanged,
    );
    await subscribed(t);
    await t.request("POST", "/api/collections/other/records", { title: "elsewhere" });
    const created = (await t.request("POST", "/api/collections/notes/records", { id: "n1", title: "first" })).body;
    await t.graphql(`mutation { updateRecord(collection: "notes", id: "n1", data: {title: "second"}) }`);
    await t.request("POST", "/api/collections/notes/records", { id: "n2", title: "other one" });
    await t.request("PATCH", "/api/collections/notes/records/bulk", { ids: ["n1", "n2"], data: { title: "bulk" } });
    await t.request("DELETE", "/api/collections/notes/records/n2");
    const events = await stream.until((e) => e.length >= 6);
    expect(events.map((e: any) => [e.action, e.record.id, e.record.title, e.oldRecord?.title ?? null])).toEqual([
      ["CREATE", "n1", "first", null],
      ["UPDATE", "n1", "second", "first"],
      ["CREATE", "n2", "other one", null],
      ["UPDATE", "n1", "bulk", "second"],
      ["UPDATE", "n2", "bulk", "other one"],
      ["DELETE", "n2", "bulk", "bulk"],
    ]);
    expect(events[0]).toMatchObject({ collection: "notes", record: created });
  });
});

describe("keep-alive", () => {
  test("a quiet stream served by src/main.ts outlives the idle timeout that closes a plain connection, and still delivers", async () => {
    const dbUrl = tempDbUrl();
    // NODE_ENV=production: yoga's real 12 s ping (tests get 300 ms), far beyond the 1 s idle timeout.
    const proc = Bun.spawn([process.execPath, "src/main.ts", "serve", "--port", "0", "--db", dbUrl], {
      cwd: `${import.meta.dir}/../..`,
      env: {
        ...process.env,
        NODE_ENV: "production",
        HOOKD_ADMIN_TOKEN: TOKEN,
        HOOKD_POLL_MS: "100",
        HOOKD_IDLE_TIMEOUT: "1s",
      },
      stdout: "pipe",
      stderr: "pipe",
    });
    cleanup.push(() => proc.kill());
    const reader = proc.stdout.getReader();
    let out = "";
    let url = "";
    while (!url) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`hookd exited: ${out}`);
      out += new TextDecoder().decode(value);
      url = /"url":"(http:\/\/[^"]+)"/.exec(out)?.[1] ?? "";
    }
    const call = (method: string, path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect(
      (
        await call("POST", "/api/collections", {
          name: "quiet",
          fields: [{ name: "title", type: "text" }],
          triggers: [{ action: "create", url: "http://127.0.0.1:9/x" }],
        })
      ).status,
    ).toBe(200);
    let streamError: unknown = null;
    const connected = Promise.withResolvers<void>();
    const client = createClient({
      url: `${url}/graphql`,
      headers: { authorization: `Bearer ${TOKEN}` },
      retryAttempts: 0,
      on: { connected: () => connected.resolve() },
    });
    cleanup.push(() => client.dispose());
    const events: unknown[] = [];
    cleanup.push(
      client.subscribe(
        { query: "subscription { webhookLogUpdated { id status collection } }" },
        { next: (r) => events.push(r.data?.webhookLogUpdated), error: (e) => (streamError = e), complete: () => {} },
      ),
    );
    await connected.promise;

    // A plain keep-alive connection opened after the stream, left idle: once the server has
    // closed it, the stream has been idle at least as long, without any sleep of a chosen length.
    await idleConnectionClosed(new URL(url));
    expect(streamError).toBeNull();
    expect(events).toEqual([]);
    expect((await call("POST", "/api/collections/quiet/records", { title: "after the silence" })).status).toBe(200);
    await waitUntil("the event after the silence", () => events.length >= 1 || streamError !== null);
    expect(streamError).toBeNull();
    expect(events[0]).toMatchObject({ collection: "quiet" });
  }, 60_000);
});

/** idleConnectionClosed sends one request on a raw keep-alive connection and settles when the server closes it. */
async function idleConnectionClosed(url: URL): Promise<void> {
  const closed = Promise.withResolvers<void>();
  const socket = await Bun.connect({
    hostname: url.hostname,
    port: Number(url.port),
    socket: { data() {}, close: () => closed.resolve(), error: () => closed.resolve() },
  });
  socket.write(`GET /healthz HTTP/1.1\r\nhost: ${url.host}\r\n\r\n`);
  await closed.promise;
}
