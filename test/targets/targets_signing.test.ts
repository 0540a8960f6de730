// Standard Webhooks signing as pure functions, checked against the standardwebhooks library:
// the format, the exact body bytes, an empty body, two keys during a rotation, and the
// secret format rules.
import { describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import {
  formatSecret,
  generateKey,
  parseGraceSeconds,
  parseSecret,
  secretProblem,
} from "../../src/targets/signing_secret";
import { signatureHeader, signPayload } from "../../src/lib/webhook_signature";

const now = Math.floor(Date.now() / 1000);
const headers = (id: string, signature: string) => ({
  "webhook-id": id,
  "webhook-timestamp": String(now),
  "webhook-signature": signature,
});

describe("signPayload", () => {
  test("matches the library's own signature", () => {
    const key = generateKey();
    const body = JSON.stringify({ hello: "wörld", n: 1 });
    expect(signPayload(key, "msg_1", now, body)).toBe(
      new Webhook(formatSecret(key)).sign("msg_1", new Date(now * 1000), body),
    );
  });

  test("verifies with the library, over UTF-8 bodies and an empty body", () => {
    const key = generateKey();
    const wh = new Webhook(formatSecret(key));
    for (const body of ['{"a":"ünïcødé ✓"}', "plain text", ""]) {
      expect(() =>
        wh.verify(body, headers("msg_2", signPayload(key, "msg_2", now, body)), { jsonParse: false }),
      ).not.toThrow();
    }
    expect(signPayload(key, "msg_3", now, null)).toBe(signPayload(key, "msg_3", now, ""));
  });

  test("a changed body, id or key fails verification", () => {
    const key = generateKey();
    const wh = new Webhook(formatSecret(key));
    const sig = signPayload(key, "msg_4", now, "body");
    expect(() => wh.verify("body!", headers("msg_4", sig), { jsonParse: false })).toThrow();
    expect(() => wh.verify("body", headers("msg_5", sig), { jsonParse: false })).toThrow();
    expect(() =>
      new Webhook(formatSecret(generateKey())).verify("body", headers("msg_4", sig), { jsonParse: false }),
    ).toThrow();
  });
});

describe("signatureHeader", () => {
  test("two keys: both signatures, space-separated, the first key first; a receiver with either verifies", () => {
    const [next, old] = [generateKey(), generateKey()];
    const header = signatureHeader([next, old], "msg_6", now, "x");
    const parts = header.split(" ");
    expect(parts).toEqual([signPayload(next, "msg_6", now, "x"), signPayload(old, "msg_6", now, "x")]);
    for (const k of [next, old])
      expect(() =>
        new Webhook(formatSecret(k)).verify("x", headers("msg_6", header), { jsonParse: false }),
      ).not.toThrow();
  });
});

describe("secrets", () => {
  test("generated: whsec_ and 32 bytes; formatting and parsing round-trip", () => {
    const key = generateKey();
    expect(key.length).toBe(32);
    expect(parseSecret(formatSecret(key), "key")).toEqual(key);
  });

  test.each([
    ["no prefix", randomBytes(32).toString("base64")],
    ["not base64", "whsec_!!!!"],
    ["23 bytes", `whsec_${randomBytes(23).toString("base64")}`],
    ["65 bytes", `whsec_${randomBytes(65).toString("base64")}`],
    ["not a string", 42],
  ])("refused: %s", (_name, value) => {
    expect(secretProblem(value)).toContain("expected whsec_");
    expect(() => parseSecret(value, "key")).toThrow();
  });

  test.each([24, 64])("accepted: %d bytes", (n) =>
    expect(secretProblem(`whsec_${randomBytes(n).toString("base64")}`)).toBeNull(),
  );

  test("grace period: default one day, 0 allowed, at most 7 days", () => {
    expect(parseGraceSeconds(undefined)).toBe(86_400);
    expect(parseGraceSeconds(0)).toBe(0);
    expect(parseGraceSeconds(604_800)).toBe(604_800);
    for (const bad of [604_801, -1, 1.5, "60"]) expect(() => parseGraceSeconds(bad)).toThrow("gracePeriodSeconds");
  });
});
