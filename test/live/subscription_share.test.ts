// One API key may hold at most a quarter of HOOKD_MAX_SUBSCRIPTIONS: any key with a read scope
// (records:read:<one collection> is enough) could otherwise open every place of the instance
// and leave none for the operator's dashboard or other applications. The admin token is the
// operator's and is held only to the instance's limit. Real SSE requests on a real socket.
import { afterAll, expect, test } from "bun:test";
import { bearer, mintKeyFor } from "../support/keys";
import { makeTestApp, TOKEN } from "../support/test_app";
import { waitUntil } from "../support/wait";

const MAX = 8; // a key may hold 2
const t = await makeTestApp({ maxSubscriptions: MAX });
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: t.app.fetch });
afterAll(() => {
  server.stop(true);
  t.deps.db.close();
});

const RECORDS = 'subscription { recordChanged(collection: "notes") { action } }';

const open = (key: string): Promise<Response> =>
  fetch(`http://127.0.0.1:${server.port}/graphql`, {
    method: "POST",
    headers: { ...bearer(key), "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ query: RECORDS }),
  });

test("a key past its share of the subscriptions is a 429 naming the share; others still get places", async () => {
  const greedy = await mintKeyFor(t, ["records:read:notes"]);
  const held = [await open(greedy), await open(greedy)];
  expect(held.map((r) => r.status)).toEqual([200, 200]);

  const refused = await open(greedy);
  expect(refused.status).toBe(429);
  const body = JSON.parse(/^data: (.*)$/m.exec(await refused.text())![1]!);
  expect(body.errors[0].extensions.code).toBe("TOO_MANY_SUBSCRIPTIONS");
  expect(body.errors[0].message).toContain("2 of");

  const other = await open(await mintKeyFor(t, ["records:read"]));
  const admin = [await open(TOKEN), await open(TOKEN), await open(TOKEN)];
  expect([other, ...admin].map((r) => r.status)).toEqual([200, 200, 200, 200]);

  await held[0]!.body!.cancel();
  await waitUntil("the closed stream's place is free", () => t.deps.live.limit.count === 5);
  const again = await open(greedy);
  expect(again.status).toBe(200);

  for (const s of [held[1]!, again, other, ...admin]) await s.body!.cancel();
  await waitUntil("every stream closed", () => t.deps.live.limit.count === 0);
});
