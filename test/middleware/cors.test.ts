// HOOKD_CORS_ORIGINS: preflights are answered without a token, for the listed origins only;
// answers to a listed origin carry Access-Control-Allow-Origin (errors too, so the browser
// application can read them); other origins, and every origin by default, get no CORS headers.
import { afterAll, describe, expect, test } from "bun:test";
import { loadConfig } from "../../src/config";
import { cors } from "../../src/middleware/cors";
import { makeTestApp, TOKEN } from "../support/test_app";

const APP_ORIGIN = "https://app.example.com";
const t = await makeTestApp({ corsOrigins: [APP_ORIGIN, "http://localhost:5173"] });
const plain = await makeTestApp();
afterAll(() => {
  t.deps.db.close();
  plain.deps.db.close();
});

const preflight = (origin: string, path = "/api/collections") =>
  new Request(`http://hookd.test${path}`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type",
    },
  });

describe("the middleware alone", () => {
  const mw = cors([APP_ORIGIN]);
  const next = async () => new Response("inner", { status: 418 });
  test.each([
    ["preflight, listed origin", preflight(APP_ORIGIN), 204, APP_ORIGIN],
    ["preflight, other origin", preflight("https://evil.example"), 204, null],
    ["GET, listed origin", new Request("http://h/x", { headers: { origin: APP_ORIGIN } }), 418, APP_ORIGIN],
    ["GET, other origin", new Request("http://h/x", { headers: { origin: "https://evil.example" } }), 418, null],
    ["GET, no origin", new Request("http://h/x"), 418, null],
    ["OPTIONS without a preflight's headers", new Request("http://h/x", { method: "OPTIONS" }), 418, null],
  ])("%s → %p, allow-origin %p", async (_name, req, status, allowed) => {
    const res = await mw(req, next);
    expect(res.status).toBe(status);
    expect(res.headers.get("access-control-allow-origin")).toBe(allowed);
  });
});

describe("through the app", () => {
  test("a preflight from a listed origin needs no token and allows the API's methods and headers", async () => {
    const res = await t.app.fetch(preflight(APP_ORIGIN));
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
    expect(res.headers.get("access-control-allow-methods")).toContain("PATCH");
    expect(res.headers.get("access-control-allow-headers")).toContain("authorization");
    expect(res.headers.get("vary")).toContain("Origin");
  });

  test("a preflight from another origin gets no CORS headers", async () => {
    const res = await t.app.fetch(preflight("https://evil.example"));
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-methods")).toBeNull();
  });

  test("answers to a listed origin carry the header, a 401 too; GraphQL as well", async () => {
    const ok = await t.app.fetch(
      new Request("http://hookd.test/api/collections", {
        headers: { origin: APP_ORIGIN, authorization: `Bearer ${TOKEN}` },
      }),
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
    const refused = await t.app.fetch(
      new Request("http://hookd.test/api/collections", { headers: { origin: APP_ORIGIN } }),
    );
    expect(refused.status).toBe(401);
    expect(refused.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
    const gql = await t.app.fetch(
      new Request("http://hookd.test/graphql", {
        method: "POST",
        headers: { origin: APP_ORIGIN, authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ query: "{ whoami { id } }" }),
      }),
    );
    expect(await gql.json()).toEqual({ data: { whoami: { id: "admin" } } });
    expect(gql.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
  });

  test("with no HOOKD_CORS_ORIGINS, no origin gets CORS headers", async () => {
    const res = await plain.app.fetch(preflight(APP_ORIGIN));
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const get = await plain.app.fetch(
      new Request("http://hookd.test/api/collections", {
        headers: { origin: APP_ORIGIN, authorization: `Bearer ${TOKEN}` },
      }),
    );
    expect(get.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("HOOKD_CORS_ORIGINS", () => {
  test("reads a comma list of origins", () => {
    const config = loadConfig({}, { HOOKD_CORS_ORIGINS: " https://a.example , http://localhost:5173" });
    expect(config.corsOrigins).toEqual(["https://a.example", "http://localhost:5173"]);
    expect(loadConfig({}, {}).corsOrigins).toEqual([]);
  });
  test.each(["https://a.example/", "https://a.example/app", "a.example", "*"])(
    "refuses %p, naming the setting",
    (raw) => {
      expect(() => loadConfig({}, { HOOKD_CORS_ORIGINS: raw })).toThrow(/HOOKD_CORS_ORIGINS/);
    },
  );
});
