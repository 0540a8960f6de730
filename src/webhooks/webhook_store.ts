// The catalogue of standalone webhooks in _webhooks.
import type { Row } from "@libsql/client";
import { newId, type Deps } from "../deps";
import { ConflictError, NotFoundError } from "../errors";
import { requestSettingsArgs, rowToRequestSettings } from "../dispatch/request_settings";
import type { Webhook, WebhookSpec } from "./webhook_input";

type StoreDeps = Pick<Deps, "db" | "clock">;

function rowToWebhook(row: Row): Webhook {
  return {
    id: String(row.id),
    name: String(row.name),
    url: String(row.url),
    ...rowToRequestSettings(row),
    created: String(row.created),
    updated: String(row.updated),
  };
}

function specArgs(w: WebhookSpec) {
  return [w.name, w.url, ...requestSettingsArgs(w)];
}

/** listWebhooks answers every webhook, by name. */
export async function listWebhooks({ db }: StoreDeps): Promise<Webhook[]> {
  const rs = await db.execute("SELECT * FROM _webhooks ORDER BY name");
  return rs.rows.map(rowToWebhook);
}

/** getWebhook answers the webhook with that name or throws NotFoundError. */
export async function getWebhook({ db }: StoreDeps, name: string): Promise<Webhook> {
  const rs = await db.execute({ sql: "SELECT * FROM _webhooks WHERE name = ?", args: [name] });
  if (!rs.rows[0]) throw new NotFoundError(`webhook "${name}"`);
  return rowToWebhook(rs.rows[0]);
}

/** createWebhook stores a new webhook; a taken name is a ConflictError. */
export async function createWebhook(deps: StoreDeps, spec: WebhookSpec): Promise<Webhook> {
  const now = deps.clock.now().toISOString();
  const webhook: Webhook = { ...spec, id: newId(), created: now, updated: now };
  await writeUnique(spec.name, () =>
    deps.db.execute({
      sql: `INSERT INTO _webhooks (name, url, method, headers, body, content_type, retry_limit, jwt_enabled, timeout_ms, active, id, created, updated)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      args: [...specArgs(spec), webhook.id, now, now],
    }),
  );
  return webhook;
}

/** updateWebhook replaces a webhook's definition (the spec is already merged over the stored one). */
export async function updateWebhook(deps: StoreDeps, before: Webhook, spec: WebhookSpec): Promise<Webhook> {
  const after: Webhook = { ...before, ...spec, updated: deps.clock.now().toISOString() };
  await writeUnique(spec.name, () =>
    deps.db.execute({
      sql: `UPDATE _webhooks SET name = ?, url = ?, method = ?, headers = ?, body = ?, content_type = ?, retry_limit = ?,
              jwt_enabled = ?, timeout_ms = ?, active = ?, updated = ? WHERE id = ?`,
      args: [...specArgs(spec), after.updated, before.id],
    }),
  );
  return after;
}

/** deleteWebhook forgets a webhook; its delivery logs stay. */
export async function deleteWebhook(deps: StoreDeps, name: string): Promise<Webhook> {
  const webhook = await getWebhook(deps, name);
  await deps.db.execute({ sql: "DELETE FROM _webhooks WHERE id = ?", args: [webhook.id] });
  return webhook;
}

async function writeUnique(name: string, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (err) {
    if (/UNIQUE/i.test(String(err))) throw new ConflictError(`a webhook named "${name}" already exists`);
    throw err;
  }
}
