// Builds a hookd app on its own fresh database for one test file, driven through app.fetch.
import { createApp, type App } from "../../src/app";
import { bootDeps, type BootOptions } from "../../src/boot";
import { testConfig, type Config } from "../../src/config";
import type { Deps } from "../../src/deps";
import { silentLogger, type Logger } from "../../src/runtime/logger";
import { answerProblems } from "./openapi_check";

export const TOKEN = "test-token";

/** TestApp is an app, its deps and a request helper that sends the admin token. */
export interface TestApp {
  app: App;
  deps: Deps;
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  graphql(query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: any }>;
}

/** makeTestApp boots deps on a fresh database (":memory:" unless overridden) and builds the app; silent unless given a log. */
export async function makeTestApp(
  overrides: Partial<Config> = {},
  opts: BootOptions & { log?: Logger } = {},
): Promise<TestApp> {
  const deps = await bootDeps(testConfig(overrides), opts.log ?? silentLogger, opts);
  const app = createApp(deps);
  const request: TestApp["request"] = async (method, path, body, headers = {}) => {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${TOKEN}`, ...headers } };
    if (body !== undefined) {
      init.body = typeof body === "string" ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] ??= "application/json";
    }
    const res = await app.fetch(new Request(`http://hookd.test${path}`, init));
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {}
    const problems = await answerProblems(testApp, method, path, res.status, parsed);
    if (problems.length > 0)
      throw new Error(
        `${method} ${path}: the answer breaks the OpenAPI document (answer shapes: src/rest/answers.ts):\n${problems.join("\n")}`,
      );
    return { status: res.status, body: parsed, headers: res.headers };
  };
  const graphql: TestApp["graphql"] = (query, variables) => request("POST", "/graphql", { query, variables });
  const testApp: TestApp = { app, deps, request, graphql };
  return testApp;
}
