// DNS rebinding: a delivery connects to the address the outbound guard checked, never to what
// the host name resolves to a moment later, while the Host header and (https) the TLS server
// name stay the host name's. Real sockets: receivers on 127.0.0.1, a TLS receiver with a test
// certificate for hookd.test, and the system resolver for localhost. A name with several
// addresses is sent to the next when one cannot be connected to, and never sent twice.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { OutboundGuard } from "../../src/dispatch/outbound_guard";
import { sendRequest } from "../../src/dispatch/outbound_http";
import { pinToAddress } from "../../src/dispatch/pinned_request";
import { parseCidrList } from "../../src/lib/cidr";
import { startReceiver, type Receiver } from "../support/receiver";

const LOOPBACK = parseCidrList("127.0.0.0/8");
const never = new AbortController().signal;
const send = (url: string, guard: OutboundGuard, timeoutMs = 2_000) =>
  sendRequest({ url, method: "POST", headers: { "x-probe": "1" }, body: "{}", timeoutMs }, guard, never);

/** resolvingTo is a guard whose resolver answers fixed addresses, as a DNS server under an attacker's control would. */
const resolvingTo = (answers: Record<string, string[]>, allow = LOOPBACK) =>
  new OutboundGuard(allow, async (host) => answers[host] ?? []);

let receiver: Receiver;
beforeAll(() => {
  receiver = startReceiver();
});
afterAll(() => receiver.stop());

describe("pinToAddress", () => {
  const headers = { "x-a": "1" };
  test("http: the URL names the address, Host keeps the name and port", () => {
    expect(pinToAddress(new URL("http://hooks.example:8080/a?b=1"), "203.0.113.9", headers)).toEqual({
      url: "http://203.0.113.9:8080/a?b=1",
      headers: { "x-a": "1", host: "hooks.example:8080" },
    });
  });
  test("https: TLS server name is the host name; an IPv6 address is bracketed", () => {
    expect(pinToAddress(new URL("https://hooks.example/a"), "2001:db8::1", headers)).toEqual({
      url: "https://[2001:db8::1]/a",
      headers: { "x-a": "1", host: "hooks.example" },
      tls: { serverName: "hooks.example" },
    });
  });
  test("a URL that names an IP is left alone; a Host header the user set is kept", () => {
    expect(pinToAddress(new URL("http://127.0.0.1:9/x"), "127.0.0.1", headers)).toEqual({
      url: "http://127.0.0.1:9/x",
      headers,
    });
    expect(pinToAddress(new URL("http://a.example/x"), "203.0.113.9", { Host: "vhost.example" }).headers).toEqual({
      Host: "vhost.example",
    });
  });
});

describe("http deliveries connect to the checked address", () => {
  test("a name only the guard's resolver knows is delivered to the address it checked, with Host naming it", async () => {
    const before = receiver.requests.length;
    const result = await send(
      `http://rebind.test:${receiver.port}/hook`,
      resolvingTo({ "rebind.test": ["127.0.0.1"] }),
    );
    expect(result).toMatchObject({ httpStatus: 200, errorMsg: null });
    const [got] = await receiver.waitFor(before + 1).then((r) => r.slice(before));
    expect(got!.headers.host).toBe(`rebind.test:${receiver.port}`);
    expect(got!.headers["x-probe"]).toBe("1");
  });

  test("rebinding: checked as a public address, localhost is not reached although it now resolves to 127.0.0.1", async () => {
    const before = receiver.requests.length;
    // The guard saw a public address (TEST-NET-3, never routed); the system resolver says 127.0.0.1.
    const result = await send(
      `http://localhost:${receiver.port}/hook`,
      resolvingTo({ localhost: ["203.0.113.7"] }, []),
      300,
    );
    expect(result.httpStatus).toBeNull();
    expect(result.errorMsg).not.toBeNull();
    expect(result.errorMsg).not.toContain("203.0.113.7");
    // send() answers only after its request ended, so a request that reached 127.0.0.1 is counted by now.
    expect(receiver.requests.length).toBe(before);
  });

  test("an IPv6 address is dialled in brackets (where this machine has IPv6 loopback)", async () => {
    let v6: ReturnType<typeof Bun.serve>;
    try {
      v6 = Bun.serve({ hostname: "::1", port: 0, fetch: (req) => new Response(`host=${req.headers.get("host")}`) });
    } catch {
      return; // no IPv6 here
    }
    try {
      const result = await send(
        `http://v6.test:${v6.port}/hook`,
        resolvingTo({ "v6.test": ["::1"] }, parseCidrList("::1/128")),
      );
      expect(result).toMatchObject({ httpStatus: 200, responseBody: `host=v6.test:${v6.port}` });
    } finally {
      v6.stop(true);
    }
  });

  test("real resolution: localhost, allowed, is delivered with Host: localhost", async () => {
    const before = receiver.requests.length;
    const result = await send(`http://localhost:${receiver.port}/hook`, new OutboundGuard(LOOPBACK));
    expect(result).toMatchObject({ httpStatus: 200, errorMsg: null });
    expect((await receiver.waitFor(before + 1))[before]!.headers.host).toBe(`localhost:${receiver.port}`);
  });

  test("real resolution: localhost, not allowed, is refused and nothing is sent", async () => {
    const before = receiver.requests.length;
    const result = await send(`http://localhost:${receiver.port}/hook`, new OutboundGuard([]));
    expect(result).toMatchObject({ refused: true, httpStatus: null });
    expect(result.errorMsg).toContain("localhost resolves to 127.0.0.1");
    expect(receiver.requests.length).toBe(before);
  });
});

describe("a name with several addresses", () => {
  test("an address that refuses the connection is passed over for the next one, within the attempt", async () => {
    const before = receiver.requests.length;
    // Nothing listens on 127.0.0.2 at the receiver's port: the connection is refused there.
    const result = await send(
      `http://two.test:${receiver.port}/hook`,
      resolvingTo({ "two.test": ["127.0.0.2", "127.0.0.1"] }),
    );
    expect(result).toMatchObject({ httpStatus: 200, errorMsg: null });
    expect((await receiver.waitFor(before + 1))[before]!.headers.host).toBe(`two.test:${receiver.port}`);
  });

  test("when every address refuses, the error says how many were tried", async () => {
    const result = await send(
      `http://none.test:${receiver.port}/hook`,
      resolvingTo({ "none.test": ["127.0.0.2", "127.0.0.3"] }),
    );
    expect(result).toMatchObject({
      httpStatus: null,
      errorMsg: "connection refused (ECONNREFUSED); tried 2 addresses",
      refused: false,
    });
  });

  test("an answer from the first address, even a 500, is the attempt's: the request is never sent twice", async () => {
    const first = Bun.serve({ hostname: "127.0.0.2", port: 0, fetch: () => new Response("down", { status: 500 }) });
    let secondGot = 0;
    const second = Bun.serve({
      hostname: "127.0.0.1",
      port: first.port,
      fetch: () => (secondGot++, new Response("ok")),
    });
    try {
      const result = await send(
        `http://both.test:${first.port}/hook`,
        resolvingTo({ "both.test": ["127.0.0.2", "127.0.0.1"] }),
      );
      expect(result).toMatchObject({ httpStatus: 500, errorMsg: "HTTP 500", responseBody: "down" });
      expect(secondGot).toBe(0);
    } finally {
      first.stop(true);
      second.stop(true);
    }
  });
});

describe("https deliveries keep the host name for TLS", () => {
  const fixtures = join(import.meta.dir, "../fixtures");
  let server: ReturnType<typeof Bun.serve>;
  beforeAll(async () => {
    server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      tls: {
        cert: Bun.file(join(fixtures, "hookd_test_cert.pem")),
        key: Bun.file(join(fixtures, "hookd_test_key.pem")),
      },
      fetch: (req) => new Response(`host=${req.headers.get("host")}`),
    });
  });
  afterAll(() => server.stop(true));

  /** attempt sends one request from a process that trusts the test certificate, with the guard resolving `name` to 127.0.0.1. */
  async function attempt(
    name: string,
  ): Promise<{ httpStatus: number | null; errorMsg: string | null; responseBody: string | null }> {
    const script = `
      import { OutboundGuard } from ${JSON.stringify(join(import.meta.dir, "../../src/dispatch/outbound_guard"))};
      import { sendRequest } from ${JSON.stringify(join(import.meta.dir, "../../src/dispatch/outbound_http"))};
      const guard = new OutboundGuard([{ family: 4, bits: 0x7f000000n, prefix: 8, text: "127.0.0.0/8" }], async () => ["127.0.0.1"]);
      const r = await sendRequest({ url: "https://${name}:${server.port}/hook", method: "POST", headers: {}, body: "{}", timeoutMs: 3000 }, guard, new AbortController().signal);
      console.log(JSON.stringify(r));`;
    const proc = Bun.spawn([process.execPath, "-e", script], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: join(fixtures, "hookd_test_cert.pem") },
      stdout: "pipe",
      stderr: "pipe",
    });
    const out = await new Response(proc.stdout).text();
    await proc.exited;
    return JSON.parse(out.trim().split("\n").at(-1)!);
  }

  test("the certificate is checked against the host name (not the address) and Host names it", async () => {
    const r = await attempt("hookd.test");
    expect(r).toMatchObject({ httpStatus: 200, errorMsg: null, responseBody: `host=hookd.test:${server.port}` });
  });

  test("a certificate that does not name the host is still refused, and the error names the URL as configured", async () => {
    const r = await attempt("other.test");
    expect(r.httpStatus).toBeNull();
    expect(r.errorMsg).toContain("ERR_TLS_CERT_ALTNAME_INVALID");
    expect(r.errorMsg).not.toContain("127.0.0.1");
  });
});
