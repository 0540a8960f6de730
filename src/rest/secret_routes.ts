// REST: reading and rotating signing secrets (SPEC §7). The only answers that carry a secret.
import type { Deps } from "../deps";
import type { Router } from "../lib/router";
import { rotateTargetSecret, targetSecret, type TargetRef } from "../secrets/target_ref";
import { json, readJson, requireObject } from "./respond";

type Params = Record<string, string>;

const REFS: [string, (p: Params) => TargetRef][] = [
  ["/api/collections/:name/triggers/:id", (p) => ({ kind: "trigger", collection: p.name!, id: p.id! })],
  ["/api/webhooks/:name", (p) => ({ kind: "webhook", name: p.name! })],
  ["/api/cron/:name", (p) => ({ kind: "cron", name: p.name! })],
];

/** addSecretRoutes registers GET …/secret and POST …/secret/rotate for triggers, webhooks and cron jobs. */
export function addSecretRoutes(router: Router, deps: Deps): void {
  for (const [base, ref] of REFS) {
    router
      .on("GET", `${base}/secret`, async ({ params }) => json(await targetSecret(deps, ref(params))))
      .on("POST", `${base}/secret/rotate`, async ({ req, params }) => {
        const body = await readJson(req, { optional: true });
        return json(await rotateTargetSecret(deps, ref(params), body === undefined ? {} : requireObject(body)));
      });
  }
}
