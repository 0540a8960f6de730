// REST: reading and rotating signing secrets (docs/api.md). The only answers that carry a secret.
import type { Deps } from "../deps";
import { rotateTargetSecret, targetSecret, type TargetRef } from "../secrets/target_ref";
import { rotateBody } from "../targets/signing_secret";
import { parseWith } from "../lib/zod_errors";
import { secretAnswer } from "./answers";
import { json, readJson, requireObject } from "./respond";
import type { ApiRouter } from "./route_spec";

type Params = Record<string, string>;

const REFS: [string, string, (p: Params) => TargetRef][] = [
  ["/api/collections/:name/triggers/:id", "a trigger", (p) => ({ kind: "trigger", collection: p.name!, id: p.id! })],
  ["/api/webhooks/:name", "a standalone webhook", (p) => ({ kind: "webhook", name: p.name! })],
  ["/api/cron/:name", "a cron job", (p) => ({ kind: "cron", name: p.name! })],
];

/** addSecretRoutes registers GET …/secret and POST …/secret/rotate for triggers, webhooks and cron jobs. */
export function addSecretRoutes(router: ApiRouter, deps: Deps): void {
  for (const [base, what, ref] of REFS) {
    router
      .on(
        "GET",
        `${base}/secret`,
        { summary: `Read the signing secret of ${what}`, tag: "secrets", access: "secrets:read", answer: secretAnswer },
        async ({ params }) => json(await targetSecret(deps, ref(params))),
      )
      .on(
        "POST",
        `${base}/secret/rotate`,
        {
          summary: `Rotate the signing secret of ${what}`,
          tag: "secrets",
          access: "secrets:read",
          body: rotateBody,
          answer: secretAnswer,
        },
        async ({ req, params }) => {
          const body = await readJson(req, { optional: true });
          const input = body === undefined ? {} : parseWith(rotateBody, requireObject(body));
          return json(await rotateTargetSecret(deps, ref(params), input));
        },
      );
  }
}
