import { afterAll, beforeAll, expect, test } from "bun:test";
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
});
afterAll(async () => {
  await t.dispatcher.stop();
  await receiver.stop();
});

/** hooked makes a collection whose create trigger posts to the receiver at `path`, and writes one record. */
async function hooked(name: string, trigger: Record<string, unknown> = {}): Promise<string> {
  await makeHookedCollection(t, name, [{ action: "create", url: `${receiver.url}/${name}`, ...trigger }]);
  const created = await t.request("POST", `/api/collections/${name}/records`, { title: name });
  return created.body.id;
}
const requestsTo = (name: string) => receiver.requests.filter((r) => r.path === `/${name}`);

test("a receiver that fails the first 2 attempts gets a third, with the same webhook-id every time", async () => {
  receiver.respond = (req) =>
    requestsTo("flaky").length <= 2 && req.path === "/flaky"
      ? { status: 503, body: "busy" }
      : { status: 200, body: "thanks" };
  const recordId = await hooked("flaky", { retryLimit: 5 });
  const [row] = await waitForLogs(t.deps, "collection = 'flaky'", settled);
  expect(row).toMatchObject({
    status: "success",
    tries: 3,
    http_status: 200,
    response_body: "thanks",
    error_msg: null,
    record_id: recordId,
  });
  expect(requestsTo("flaky").map((r) => r.headers["webhook-id"])).toEqual([row!.id, row!.id, row!.id]);
  // With HOOKD_RETRY_BASE_MS=20 the gaps are about 20 ms then 40 ms, never shorter.
  const [a, b, c] = requestsTo("flaky").map((r) => r.at);
  expect(b! - a!).toBeGreaterThanOrEqual(18);
  expect(c! - b!).toBeGreaterThanOrEqual(38);
});

test("every retryable answer (5xx, 408, 429) is retried until retryLimit attempts in all, then the delivery fails", async () => {
  const answers = [500, 408, 429];
  receiver.respond = (req) =>
    req.path === "/exhausted"
      ? { status: answers[requestsTo("exhausted").length - 1] ?? 502, body: "no" }
      : { status: 200 };
  await hooked("exhausted", { retryLimit: 4 });
  const [row] = await waitForLogs(t.deps, "collection = 'exhausted'", settled);
  expect(row).toMatchObject({
    status: "failed",
    tries: 4,
    http_status: 502,
    error_msg: "HTTP 502",
    response_body: "no",
  });
  expect(requestsTo("exhausted")).toHaveLength(4);
});

test("a Retry-After answer is honoured: the next attempt waits as long as the receiver asked", async () => {
  receiver.respond = (req) =>
    req.path === "/later" && requestsTo("later").length === 1
      ? { status: 429, headers: { "retry-after": "1" } }
      : { status: 200 };
  await hooked("later", { retryLimit: 3 });
  const [row] = await waitForLogs(t.deps, "collection = 'later'", settled, 5_000);
  expect(row).toMatchObject({ status: "success", tries: 2 });
  const [first, second] = requestsTo("later").map((r) => r.at);
  expect(second! - first!).toBeGreaterThanOrEqual(990);
});

test("while a retry waits, the row is pending with next_attempt_at in the future and the last error recorded", async () => {
  receiver.respond = (req) =>
    req.path === "/waiting" ? { status: 503, headers: { "retry-after": "60" } } : { status: 200 };
  await hooked("waiting", { retryLimit: 2 });
  const [row] = await waitForLogs(t.deps, "collection = 'waiting'", (rows) => rows[0]?.tries === 1);
  expect(row).toMatchObject({
    status: "pending",
    http_status: 503,
    error_msg: "HTTP 503",
    lease_owner: null,
    lease_expires_at: null,
  });
  expect(Date.parse(row!.next_attempt_at) - Date.parse(row!.updated_at)).toBeGreaterThanOrEqual(59_000);
});
