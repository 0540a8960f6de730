// Outbound safety: private, loopback and link-local targets are refused unless HOOKD_ALLOW_NETS allows them.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { internalLabel, OutboundGuard, refusalFor } from "../../src/dispatch/outbound_guard";
import { parseCidrList } from "../../src/lib/cidr";
import { startReceiver, type Receiver } from "../support/receiver";
import { makeDispatchingApp, makeHookedCollection, settled, waitForLogs } from "../support/deliveries";

describe("internalLabel", () => {
  const cases: [string, string | null][] = [
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", null],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local"],
    ["100.64.0.1", "shared (carrier-grade NAT)"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["8.8.8.8", null],
    ["93.184.216.34", null],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "link-local"],
    ["fd12:3456::1", "private (unique local)"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:8.8.8.8", null],
    ["2606:4700::1111", null],
    // IPv6 addresses that carry an IPv4 address are what the IPv4 address is.
    ["64:ff9b::7f00:1", "loopback"], // NAT64 of 127.0.0.1
    ["64:ff9b::10.0.0.1", "private"],
    ["64:ff9b::a9fe:a9fe", "link-local"], // 169.254.169.254, the cloud metadata address
    ["64:ff9b::8.8.8.8", null],
    ["64:ff9b:1::1", "private (local-use NAT64)"],
    ["2002:7f00:1::", "loopback"], // 6to4 of 127.0.0.1
    ["2002:c0a8:0101::1", "private"], // 6to4 of 192.168.1.1
    ["2002:0808:0808::1", null],
    ["::127.0.0.1", "loopback"], // IPv4-compatible
    ["::a00:1", "private"],
    ["::8.8.8.8", null],
    ["::ffff:0:10.0.0.1", "private"], // IPv4-translated
  ];
  for (const [ip, label] of cases) test(`${ip} → ${label}`, () => expect(internalLabel(ip)).toBe(label));
});

describe("refusalFor", () => {
  test("names the address, what kind it is, and the setting that allows it", () => {
    const why = refusalFor("db.internal", "10.0.0.5", []);
    expect(why).toContain("10.0.0.5 is a private address");
    expect(why).toContain("db.internal resolves to 10.0.0.5");
    expect(why).toContain("HOOKD_ALLOW_NETS=10.0.0.5/32");
  });
  test("an allowed network passes, also for an IPv4-mapped IPv6 address", () => {
    const allow = parseCidrList("10.0.0.0/8,127.0.0.0/8");
    expect(refusalFor("10.0.0.5", "10.0.0.5", allow)).toBeNull();
    expect(refusalFor("::ffff:127.0.0.1", "::ffff:127.0.0.1", allow)).toBeNull();
    expect(refusalFor("192.168.0.1", "192.168.0.1", allow)).not.toBeNull();
  });
  test("a public address always passes", () => expect(refusalFor("example.com", "93.184.216.34", [])).toBeNull());
  test("an allowed IPv4 network also allows its NAT64 and 6to4 forms", () => {
    const allow = parseCidrList("127.0.0.0/8");
    expect(refusalFor("64:ff9b::7f00:1", "64:ff9b::7f00:1", allow)).toBeNull();
    expect(refusalFor("2002:7f00:1::", "2002:7f00:1::", allow)).toBeNull();
    expect(refusalFor("64:ff9b::a00:1", "64:ff9b::a00:1", allow)).toContain("private address");
  });
});

describe("OutboundGuard", () => {
  test("resolves host names: localhost is refused like 127.0.0.1", async () => {
    const guard = new OutboundGuard([]);
    expect((await guard.check("localhost")).refusal).toContain("loopback");
    expect((await guard.check("127.0.0.1")).refusal).toContain("HOOKD_ALLOW_NETS");
    expect((await guard.check("[::1]")).refusal).toContain("::1 is a loopback address");
  });
  test("an allowed name answers the addresses to connect to, in the order it resolved to them", async () => {
    const guard = new OutboundGuard([], async () => ["93.184.216.34", "2606:4700::1111"]);
    expect(await guard.check("public.example")).toEqual({
      refusal: null,
      addresses: ["93.184.216.34", "2606:4700::1111"],
    });
    expect(await guard.check("[2606:4700::1111]")).toEqual({ refusal: null, addresses: ["2606:4700::1111"] });
  });
  test("a name is refused if any address it resolves to is internal", async () => {
    const guard = new OutboundGuard([], async () => ["93.184.216.34", "10.0.0.7"]);
    expect((await guard.check("mixed.example")).refusal).toContain("mixed.example resolves to 10.0.0.7");
  });
});

describe("a delivery to a refused target", () => {
  let receiver: Receiver;
  beforeAll(() => {
    receiver = startReceiver();
  });
  afterAll(() => receiver.stop());

  test("fails after one attempt with an error_msg that says why and names HOOKD_ALLOW_NETS; nothing is sent", async () => {
    const t = await makeDispatchingApp({ allowNets: [] });
    try {
      await makeHookedCollection(t, "internal", [{ action: "create", url: `${receiver.url}/hook`, retryLimit: 5 }]);
      await t.request("POST", "/api/collections/internal/records", { title: "x" });
      const [row] = await waitForLogs(t.deps, "collection = 'internal'", settled);
      expect(row).toMatchObject({ status: "failed", tries: 1, http_status: null });
      expect(row!.error_msg).toContain("127.0.0.1 is a loopback address");
      expect(row!.error_msg).toContain("HOOKD_ALLOW_NETS");
      expect(receiver.requests).toHaveLength(0);
    } finally {
      await t.dispatcher.stop();
    }
  });
});
