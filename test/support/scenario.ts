// PocketBase-style API scenarios: each row is one request and what must come back.
import { expect, test } from "bun:test";
import { answerProblems } from "./openapi_check";
import type { TestApp } from "./test_app";
import { TOKEN } from "./test_app";

/** ADMIN is the header set that carries the admin token. */
export const ADMIN: Record<string, string> = { authorization: `Bearer ${TOKEN}` };

/** Scenario is one request and its expected answer. */
export interface Scenario {
  name: string;
  method: string;
  url: string;
  /** Defaults to ADMIN; pass {} to send no token. */
  headers?: Record<string, string>;
  /** A string is sent as it is; anything else as JSON (Content-Type defaults to application/json). */
  body?: unknown;
  expectedStatus: number;
  /** Substrings the response body must contain. */
  expectedContent?: string[];
  /** Substrings the response body must not contain. */
  notExpectedContent?: string[];
  /** Runs before the request (set-up). */
  before?: (t: TestApp) => Promise<unknown>;
  /** Runs after the request with the parsed body (extra assertions, e.g. row counts). */
  after?: (t: TestApp, body: any) => Promise<unknown> | unknown;
}

/** send performs one scenario's request through app.fetch and answers status, raw text and parsed JSON. */
export async function send(t: TestApp, s: Pick<Scenario, "method" | "url" | "headers" | "body">) {
  const headers: Record<string, string> = { ...(s.headers ?? ADMIN) };
  let body: string | undefined;
  if (s.body !== undefined) {
    body = typeof s.body === "string" ? s.body : JSON.stringify(s.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
      headers["content-type"] = "application/json";
  }
  const res = await t.app.fetch(new Request(`http://hookd.test${s.url}`, { method: s.method, headers, body }));
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {}
  const problems = await answerProblems(t, s.method, s.url, res.status, json);
  if (problems.length > 0)
    throw new Error(
      `${s.method} ${s.url}: the answer breaks the OpenAPI document (answer shapes: src/rest/answers.ts):\n${problems.join("\n")}`,
    );
  return { status: res.status, text, json, headers: res.headers };
}

/** runScenarios registers one test per scenario, in order, against the app the getter returns. */
export function runScenarios(app: () => TestApp, scenarios: Scenario[]): void {
  for (const s of scenarios) {
    test(s.name, async () => {
      const t = app();
      await s.before?.(t);
      const res = await send(t, s);
      if (res.status !== s.expectedStatus)
        throw new Error(
          `${s.method} ${s.url}: status ${res.status}, expected ${s.expectedStatus}; body: ${res.text.slice(0, 500)}`,
        );
      for (const c of s.expectedContent ?? []) expect(res.text).toContain(c);
      for (const c of s.notExpectedContent ?? []) expect(res.text).not.toContain(c);
      await s.after?.(t, res.json);
    });
  }
}

/** countRows answers how many rows a table holds. */
export async function countRows(t: TestApp, table: string): Promise<number> {
  const rs = await t.deps.db.execute(`SELECT count(*) AS n FROM "${table}"`);
  return Number(rs.rows[0]!.n);
}

/** tableExists tells whether sqlite_master has a table of that name. */
export async function tableExists(t: TestApp, name: string): Promise<boolean> {
  const rs = await t.deps.db.execute({
    sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
    args: [name],
  });
  return rs.rows.length > 0;
}

/** columnsOf lists a table's column names in order. */
export async function columnsOf(t: TestApp, table: string): Promise<string[]> {
  const rs = await t.deps.db.execute(`SELECT name FROM pragma_table_info('${table}')`);
  return rs.rows.map((r) => String(r.name));
}
