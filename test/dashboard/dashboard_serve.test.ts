// The dashboard's files at /_/: public, right content types, caching and a CSP that allows
// nothing from other origins; the API behind it still needs the token.
import { beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../support/test_app";

let t: TestApp;
const get = (path: string, init: RequestInit = {}) => t.app.fetch(new Request(`http://hookd.test${path}`, init));

beforeAll(async () => {
  t = await makeTestApp();
});

describe("GET /_/", () => {
  test("serves the page without a token, never cached, with a strict CSP", async () => {
    const res = await get("/_/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("text/html");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:|\*|'unsafe-inline'|'unsafe-eval'/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//); // nothing from another origin
  });

  test("every asset the page names is served with its type and a year of caching", async () => {
    const html = await (await get("/_/")).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/_\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith(".js"))).toBe(true);
    expect(assets.some((a) => a.endsWith(".css"))).toBe(true);
    const types: Record<string, string> = { js: "text/javascript", css: "text/css", svg: "image/svg+xml" };
    for (const path of assets) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toStartWith(types[path.split(".").pop()!]!);
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    }
  });

  test.each([
    ["GET", "/_", 308],
    ["GET", "/_/assets/missing-0000.js", 404],
    ["POST", "/_/", 405],
    ["HEAD", "/_/", 200],
  ])("%s %s answers %d", async (method, path, status) => {
    const res = await get(path, { method });
    expect(res.status).toBe(status);
    if (status === 308) expect(res.headers.get("location")).toBe("/_/");
  });

  test("the API the page calls still refuses requests without the token", async () => {
    expect((await get("/api/collections")).status).toBe(401);
    expect((await get("/api/stats/deliveries")).status).toBe(401);
  });
});
