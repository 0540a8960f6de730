// HOOKD_MAX_SUBSCRIPTIONS: live subscriptions of either kind count against one limit per
// instance; the one past it is a 503 TOO_MANY_SUBSCRIPTIONS (as an event stream or JSON),
// and a closed stream frees its place. Real SSE requests on a real socket.
import { afterAll, expect, test } from "bun:test";
import { makeTestApp, TOKEN, type TestApp } from "../support/test_app";

const MAX = 3;
let t: TestApp;
let server: ReturnType<typeof Bun.serve>;
afterAll(() => {
  server.stop(true);
  t.deps.db.close();
});

const LOGS = "subscription { webhookLogUpdated { id status } }";
const RECORDS = 'subscription { recordChanged(collection: "notes") { action } }';

function open(query: string, accept = "text/event-stream"): Promise<Response> {
  return fetch(`http://127.0.0.1:${server.port}/graphql`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept },
    body: JSON.stringify({ query }),
  });
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await Bun.sleep(5);
  }
}

test(`the subscription past ${MAX} is a 503; closing one makes room`, async () => {
  t = await makeTestApp({ maxSubscriptions: MAX });
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: t.app.fetch });
  const limit = t.deps.live.limit;

  const streams = [await open(LOGS), await open(RECORDS), await open(LOGS)];
  expect(streams.map((s) => s.status)).toEqual([200, 200, 200]);
  expect(limit.count).toBe(MAX);

  for (const [query, accept] of [
    [RECORDS, "text/event-stream"],
    [LOGS, "application/json"],
  ] as const) {
    const refused = await open(query, accept);
    expect(refused.status).toBe(503);
    const text = await refused.text();
    const body = JSON.parse(accept === "application/json" ? text : /^data: (.*)$/m.exec(text)![1]!);
    expect(body.errors[0].extensions).toEqual({ code: "TOO_MANY_SUBSCRIPTIONS", status: 503, data: {} });
    expect(body.errors[0].message).toContain("HOOKD_MAX_SUBSCRIPTIONS");
  }
  expect(limit.count).toBe(MAX);

  await streams[0]!.body!.cancel();
  await until(() => limit.count === MAX - 1);
  const again = await open(RECORDS);
  expect(again.status).toBe(200);
  expect(limit.count).toBe(MAX);

  for (const s of [...streams.slice(1), again]) await s.body!.cancel();
  await until(() => limit.count === 0);
});
