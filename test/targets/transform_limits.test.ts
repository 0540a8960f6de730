// What an attacker could do with transforms (docs/security.md, Transforms): one JSONata call
// runs to its end whatever the time limit, so an expression that backtracks a regular
// expression or pads a string to hundreds of millions of characters once held the event loop
// for seconds (and took gigabytes). Such expressions are refused, and only callers who may set
// a transform may try one through the preview.
import { afterAll, describe, expect, test } from "bun:test";
import { bearer, mintKeyFor } from "../support/keys";
import { makeTestApp } from "../support/test_app";

const t = await makeTestApp();
afterAll(() => t.deps.db.close());

const preview = (transform: string, headers: Record<string, string> = {}) =>
  t.request("POST", "/api/transform/preview", { transform, event: { title: "x" } }, headers);

describe("the transform preview", () => {
  test("is refused (403) to a key that may set no transform, REST and GraphQL", async () => {
    const reader = await mintKeyFor(t, ["records:read:posts"]);
    const res = await preview("title", bearer(reader));
    expect(res.status).toBe(403);
    expect(res.body.message).toContain("collections:write");
    const gql = await t.request(
      "POST",
      "/graphql",
      { query: `{ previewTransform(transform: "title", event: {}) { body } }` },
      bearer(reader),
    );
    expect(gql.body.errors[0].extensions.code).toBe("FORBIDDEN");
  });

  test("answers a key that may set a transform on some target", async () => {
    for (const scope of ["collections:write", "webhooks:write", "cron:write"]) {
      const writer = await mintKeyFor(t, [scope]);
      const res = await preview("title", bearer(writer));
      expect(res.status).toBe(200);
      expect(res.body.body).toBe("x");
    }
  });
});
