// Holds an answer against the app's own OpenAPI document: every scenario of the suite (send in
// scenario.ts) passes through here, so the document is checked by all the requests the tests make.
import { schemaProblems } from "./json_schema";
import type { TestApp } from "./test_app";

const documents = new WeakMap<TestApp["app"], Promise<any>>();

function documentOf(t: TestApp): Promise<any> {
  let doc = documents.get(t.app);
  if (!doc) {
    doc = t.app.fetch(new Request("http://hookd.test/api/openapi.json")).then((r) => r.json());
    documents.set(t.app, doc);
  }
  return doc;
}

/** answerProblems lists where a JSON answer breaks the document (none for routes or statuses it does not describe). */
export async function answerProblems(t: TestApp, method: string, url: string, status: number, body: unknown) {
  const path = new URL(url, "http://hookd.test").pathname;
  const route = t.app.routes().find((r) => r.method === method && matches(r.pattern, path));
  if (!route || body === null) return [];
  const doc = await documentOf(t);
  const answer =
    doc.paths[route.pattern.replace(/:(\w+)/g, "{$1}")]?.[method.toLowerCase()]?.responses?.[String(status)];
  const schema = answer?.content?.["application/json"]?.schema;
  if (!answer)
    return [
      `${method} ${route.pattern}: status ${status} is not in the document (declare the answer in its RouteSpec)`,
    ];
  return schema ? schemaProblems(body, schema, doc) : [];
}

function matches(pattern: string, path: string): boolean {
  const p = pattern.split("/");
  const s = path.split("/");
  return p.length === s.length && p.every((part, i) => part.startsWith(":") || part === s[i]);
}
