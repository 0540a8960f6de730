// jwtEnabled: the receiver verifies the token with jose, against the running server's JWKS
// (ES256) or with the shared secret (HS256).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { startReceiver, type Receiver } from "../support/receiver";
import { makeDispatchingApp, makeHookedCollection, type DispatchingApp } from "../support/deliveries";

let receiver: Receiver;
beforeAll(() => {
  receiver = startReceiver();
});
afterAll(() => receiver.stop());

async function bearerFor(t: DispatchingApp, collection: string): Promise<string> {
  await makeHookedCollection(t, collection, [
    { action: "create", url: `${receiver.url}/${collection}`, jwtEnabled: true },
  ]);
  await t.request("POST", `/api/collections/${collection}/records`, { title: "signed" });
  for (let i = 0; i < 1000; i++) {
    const req = receiver.requests.find((r) => r.path === `/${collection}`);
    if (req) return req.headers.authorization!.replace(/^Bearer /, "");
    await Bun.sleep(5);
  }
  throw new Error("no delivery");
}

describe("ES256 with the instance's key", () => {
  let t: DispatchingApp;
  let server: ReturnType<typeof Bun.serve>;
  beforeAll(async () => {
    t = await makeDispatchingApp();
    server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: t.app.fetch });
  });
  afterAll(async () => {
    await t.dispatcher.stop();
    await server.stop(true);
  });

  test("the receiver verifies the token against /.well-known/jwks.json; claims say what fired it and where it goes", async () => {
    const token = await bearerFor(t, "signed");
    const jwks = createRemoteJWKSet(new URL(`http://127.0.0.1:${server.port}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: "hookd", audience: receiver.url });
    expect(protectedHeader).toMatchObject({ alg: "ES256", kid: expect.any(String) });
    expect(payload).toMatchObject({
      sub: "collection:signed:create",
      roles: ["service", "webhook"],
      jti: expect.any(String),
    });
    expect(payload.exp! - payload.iat!).toBe(t.deps.config.jwtTtlSeconds);
  });

  test("every attempt carries a fresh jti", async () => {
    receiver.respond = (req) => ({
      status: req.path === "/twice" && receiver.requests.filter((r) => r.path === "/twice").length === 1 ? 500 : 200,
    });
    await bearerFor(t, "twice");
    const twice = () => receiver.requests.filter((r) => r.path === "/twice");
    for (let i = 0; i < 1000 && twice().length < 2; i++) await Bun.sleep(5);
    const tokens = twice().map((r) => r.headers.authorization!.slice(7));
    const jtis = tokens.map((tok) => JSON.parse(Buffer.from(tok.split(".")[1]!, "base64url").toString()).jti);
    expect(jtis).toHaveLength(2);
    expect(jtis[0]).not.toBe(jtis[1]);
    receiver.respond = () => ({ status: 200 });
  });
});

describe("HS256 with HOOKD_JWT_SECRET", () => {
  test("the receiver verifies the token with the shared secret", async () => {
    const secret = "a-shared-secret-of-decent-length";
    const t = await makeDispatchingApp({ jwtSecret: secret });
    try {
      const token = await bearerFor(t, "shared");
      expect(decodeProtectedHeader(token).alg).toBe("HS256");
      const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
        issuer: "hookd",
        audience: receiver.url,
      });
      expect(payload).toMatchObject({ sub: "collection:shared:create", roles: ["service", "webhook"] });
      await expect(jwtVerify(token, new TextEncoder().encode("another-secret-of-decent-length"))).rejects.toThrow();
    } finally {
      await t.dispatcher.stop();
    }
  });
});
