// What an answer means, against real receivers: the status decides the attempt and the body is
// only kept for the log, so a 200 whose body trickles (or is cut off) is a success, read for a
// moment and up to 4 KiB; failures are described in hookd's words, not the HTTP client's.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer, type Server, type Socket } from "node:net";
import { sendRequest } from "../../src/dispatch/outbound_http";
import type { OutboundGuard } from "../../src/dispatch/outbound_guard";
import { makeDispatchingApp, settled, waitForLogs, type DispatchingApp } from "../support/deliveries";

// Every test here sends to 127.0.0.1 on purpose; the guard's own rules are tested elsewhere.
const loopback = { refusal: null, addresses: ["127.0.0.1"] };
const guard = { cached: () => loopback, check: async () => loopback } as unknown as OutboundGuard;
const never = new AbortController().signal;

const servers: { stop(): unknown }[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});

/** trickling answers `status` with `head` at once, then one byte every 50 ms for as long as the client reads. */
function trickling(status: number, head = ""): string {
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch() {
      let stopped = false;
      const body = new ReadableStream({
        async pull(controller) {
          if (head) {
            controller.enqueue(new TextEncoder().encode(head));
            head = "";
            return;
          }
          await Bun.sleep(50);
          if (!stopped) controller.enqueue(new TextEncoder().encode("."));
        },
        cancel() {
          stopped = true;
        },
      });
      return new Response(body, { status });
    },
  });
  servers.push({ stop: () => server.stop(true) });
  return `http://127.0.0.1:${server.port}/`;
}

/** rawServer answers every connection with `onConnection` (bytes, not HTTP, when a test needs them). */
function rawServer(onConnection: (socket: Socket) => void): Promise<string> {
  return new Promise((resolve) => {
    const sockets = new Set<Socket>();
    const server: Server = createServer((socket) => {
      sockets.add(socket);
      onConnection(socket);
    });
    // close() waits for every connection to end; a client may keep a half-closed one open.
    servers.push({
      stop: () => {
        for (const socket of sockets) socket.destroy();
        return new Promise((done) => server.close(done));
      },
    });
    server.listen(0, "127.0.0.1", () => resolve(`127.0.0.1:${(server.address() as { port: number }).port}`));
  });
}

const send = (url: string, timeoutMs = 10_000) =>
  sendRequest({ url, method: "POST", headers: {}, body: "{}", timeoutMs }, guard, never);

describe("the status decides; the body is read for the log only", () => {
  test("a 200 whose body trickles is a success with what arrived", async () => {
    const r = await send(trickling(200, "accepted"));
    expect(r).toMatchObject({ httpStatus: 200, errorMsg: null });
    expect(r.responseBody).toStartWith("accepted");
  });

  test("a 500 whose body trickles is a failure for its status, not a timeout", async () => {
    const r = await send(trickling(500, "broken"));
    expect(r).toMatchObject({ httpStatus: 500, errorMsg: "HTTP 500" });
    expect(r.responseBody).toStartWith("broken");
  });

  test("reading stops at 4 KiB even while more keeps coming", async () => {
    const r = await send(trickling(200, "y".repeat(5000)));
    expect(r.responseBody).toBe("y".repeat(4096));
  });

  test("a body cut off after the status keeps the status", async () => {
    const host = await rawServer((s) => s.end("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc"));
    expect(await send(`http://${host}/`)).toMatchObject({ httpStatus: 200, errorMsg: null });
  });

  test("through the dispatcher: one attempt, recorded success", async () => {
    const t: DispatchingApp = await makeDispatchingApp();
    servers.push({ stop: () => t.dispatcher.stop() });
    const hook = { name: "slow-body", url: trickling(200, "ok"), timeoutMs: 5_000 };
    expect((await t.request("POST", "/api/webhooks", hook)).status).toBe(200);
    const { body } = await t.request("POST", "/api/webhooks/slow-body/trigger", { n: 1 });
    const [log] = await waitForLogs(t.deps, `id = '${body.deliveryId}'`, settled, 10_000);
    expect(log).toMatchObject({ status: "success", tries: 1, http_status: 200, error_msg: null });
  });
});

describe("network failures are described in hookd's words", () => {
  let closing: string;
  let notHttp: string;
  beforeAll(async () => {
    closing = await rawServer((s) => s.destroy());
    notHttp = await rawServer((s) => s.end("NOT HTTP\r\n\r\n"));
  });
  const cases: [string, () => string, string][] = [
    [
      "closed before an answer",
      () => `http://${closing}/`,
      "the connection was closed before an answer came (ECONNRESET)",
    ],
    ["not HTTP", () => `http://${notHttp}/`, "the connection was closed before an answer came (ECONNRESET)"],
    [
      "TLS to a plain port",
      () => `https://${notHttp}/`,
      "the TLS handshake failed (does the receiver speak TLS on this port?) (EPROTO)",
    ],
    ["refused", () => "http://127.0.0.1:9/", "connection refused (ECONNREFUSED)"],
  ];
  for (const [what, url, message] of cases) {
    test(what, async () => {
      const r = await send(url());
      expect(r.httpStatus).toBeNull();
      expect(r.errorMsg).toBe(message);
      expect(r.errorMsg).not.toContain("verbose");
    });
  }
});
