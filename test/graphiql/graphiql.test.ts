// GraphiQL at GET /graphql in a browser (docs/api.md): served from the binary's own files (no
// CDN), under a CSP with no inline script, signing in with a key like the dashboard. The
// browser part drives a real headless Chromium when one is installed.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { buildBinaryOnce, startBinary } from "../support/binary";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp, TOKEN, type TestApp } from "../support/test_app";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.deps.db.close());

const get = (path: string, accept = "text/html") =>
  t.app.fetch(new Request(`http://hookd.test${path}`, { headers: { accept } }));

test("a browser's GET /graphql is the GraphiQL page, without a key; its files come from hookd itself", async () => {
  const page = await get("/graphql");
  expect(page.status).toBe(200);
  expect(page.headers.get("content-type")).toStartWith("text/html");
  const csp = page.headers.get("content-security-policy")!;
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain("unsafe-eval");
  const html = await page.text();
  expect(html).not.toMatch(/<script>|https?:\/\//); // no inline script, nothing from another origin
  for (const src of html.matchAll(/(?:src|href)="(\/graphiql\/[^"]+)"/g)) {
    const file = await get(src[1]!, "*/*");
    expect(file.status, src[1]).toBe(200);
    expect((await file.text()).length).toBeGreaterThan(100);
  }
  for (const worker of ["editorWorkerService", "json", "graphql"])
    expect((await get(`/graphiql/${worker}.worker.js`, "*/*")).status).toBe(200);
  expect((await get("/graphiql/nope.js", "*/*")).status).toBe(404);
});

test("a name an object inherits (constructor, __proto__, toString) is a 404 like any unknown file, not a 500", async () => {
  for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty"])
    expect((await get(`/graphiql/${name}`, "*/*")).status).toBe(404);
});

test("GraphQL requests are unchanged: a GET with a query, or without HTML in Accept, still needs a key", async () => {
  expect((await get("/graphql?query=%7Bcollections%7Btotal%7D%7D")).status).toBe(401);
  expect((await get("/graphql", "application/json")).status).toBe(401);
});

const CHROMIUM = [process.env.HOOKD_TEST_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p): p is string => !!p && existsSync(p),
);

test.skipIf(!CHROMIUM)(
  "in Chromium: sign in with a key, run a query, see the answer; no CSP violation",
  async () => {
    const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: t.app.fetch });
    const profile = mkdtempSync(join(tmpdir(), "hookd-graphiql-"));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const problems: string[] = [];
      page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
      page.on("pageerror", (e) => problems.push(e.message));
      await page.goto(`http://127.0.0.1:${server.port}/graphql`);
      await page.fill("#key", "wrong");
      await page.click("button[type=submit]");
      await page.waitForFunction(() => document.getElementById("problem")?.textContent?.includes("not valid"));
      await page.fill("#key", TOKEN);
      await page.click("button[type=submit]");
      await page.waitForSelector(".graphiql-container", { timeout: 20_000 });
      // Run the default query (it lists collections) and wait for its answer in the result pane.
      await page.click(".graphiql-execute-button");
      await page.waitForFunction(() => document.querySelector(".result-window")?.textContent?.includes("collections"), {
        timeout: 20_000,
      });
      expect(problems.filter((p) => /Content Security Policy|Refused/.test(p))).toEqual([]);
      // The key is kept for this tab: a reload goes straight to GraphiQL.
      await page.reload();
      await page.waitForSelector(".graphiql-container", { timeout: 20_000 });
    } finally {
      await context.close();
      server.stop(true);
      rmSync(profile, { recursive: true, force: true });
    }
  },
  90_000,
);

test("the built binary serves the page and GraphiQL's files from inside itself", async () => {
  await buildBinaryOnce();
  const hookd = await startBinary(tempDbUrl("hookd-graphiql-"), { HOOKD_ADMIN_TOKEN: "graphiql-binary-token" });
  try {
    const page = await fetch(`${hookd.url}/graphql`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    const script = await fetch(`${hookd.url}/graphiql/graphiql.js`);
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeGreaterThan(1_000_000);
  } finally {
    hookd.proc.kill();
    await hookd.proc.exited;
  }
}, 180_000);
