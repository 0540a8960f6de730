// The catalogue of standalone webhooks in _webhooks, with each one's signing secret (kept
// in _target_secrets, never answered here) and health.
import { sealHeaders } from "../auth/header_sealing";
import type { InStatement, Row } from "../db/client";
import { readAll } from "../db/read_page";
import type { AnswerBudget } from "../lib/answer_budget";
import type { Deps } from "../deps";
import { newId } from "../lib/new_id";
import { ConflictError, NotFoundError } from "../errors";
import { REQUEST_SETTING_NAMES } from "../targets/request_settings";
import { REQUEST_SETTINGS_COLUMNS, requestSettingsArgs, rowToRequestSettings } from "../targets/request_settings_row";
import { newSecretStatement } from "../targets/secret_store";
import { parseSecret } from "../targets/signing_secret";
import { dropHeldStatement, HEALTH_COLUMNS, pauseChangeStatements, rowToHealth } from "../targets/target_health";
import { webhookTarget } from "../targets/target_key";
import type { Webhook, WebhookSpec } from "./webhook_input";
import { changedKeys, logConfigChange, reportEnabled, type ChangeDeps } from "../auth/config_changes";

type ReadDeps = Pick<Deps, "db" | "clock">;
type StoreDeps = ReadDeps & Pick<Deps, "atRest" | "signals"> & ChangeDeps;

/** SETTINGS are what a change log line may name as changed. */
const SETTINGS = ["name", "url", "events", ...REQUEST_SETTING_NAMES] as const;

const SELECT = `SELECT w.*, ${HEALTH_COLUMNS} FROM _webhooks AS w LEFT JOIN _target_health AS h ON h.target = 'webhook:' || w.id`;
const SPEC_COLUMNS = ["name", "url", "events", ...REQUEST_SETTINGS_COLUMNS];

function rowToWebhook(row: Row): Webhook {
  return {
    id: String(row.id),
    name: String(row.name),
    url: String(row.url),
    events: row.events === null ? null : JSON.parse(String(row.events)),
    ...rowToRequestSettings(row),
    ...rowToHealth(row),
    created: String(row.created),
    updated: String(row.updated),
  };
}

function specArgs(w: WebhookSpec) {
  return [w.name, w.url, w.events === null ? null : JSON.stringify(w.events), ...requestSettingsArgs(w)];
}

/** listWebhooks answers every webhook, by name. */
export function listWebhooks({ db }: ReadDeps, budget: AnswerBudget): Promise<Webhook[]> {
  return readAll(db, `${SELECT} ORDER BY w.name`, budget, rowToWebhook);
}

/** getWebhook answers the webhook with that name or throws NotFoundError. */
export async function getWebhook({ db }: ReadDeps, name: string): Promise<Webhook> {
  const rs = await db.execute({ sql: `${SELECT} WHERE w.name = ?`, args: [name] });
  if (!rs.rows[0]) throw new NotFoundError(`webhook "${name}"`);
  return rowToWebhook(rs.rows[0]);
}

/** createWebhook stores a new webhook and its signing secret (the given one or a new one); a taken name is a ConflictError. */
export async function createWebhook(deps: StoreDeps, given: WebhookSpec): Promise<Webhook> {
  const spec = { ...given, headers: sealHeaders(deps.atRest, given.headers) };
  const now = deps.clock.now().toISOString();
  const id = newId();
  const key = spec.secret === undefined ? undefined : parseSecret(spec.secret, "secret");
  await writeUnique(deps, spec.name, [
    {
      sql: `INSERT INTO _webhooks (${SPEC_COLUMNS.join(", ")}, id, created, updated) VALUES (${SPEC_COLUMNS.map(() => "?").join(", ")}, ?, ?, ?)`,
      args: [...specArgs(spec), id, now, now],
    },
    newSecretStatement(deps.atRest, webhookTarget(id), key),
  ]);
  logConfigChange(deps, "webhook created", { webhook: spec.name, events: spec.events });
  return getWebhook(deps, spec.name);
}

/** updateWebhook replaces a webhook's definition (merged over the stored one); pausing holds its deliveries, `enable` (paused: false given) releases them. */
export async function updateWebhook(
  deps: StoreDeps,
  before: Webhook,
  given: WebhookSpec,
  enable = false,
): Promise<Webhook> {
  const spec = { ...given, headers: sealHeaders(deps.atRest, given.headers) };
  const now = deps.clock.now().toISOString();
  const target = webhookTarget(before.id);
  const statements: InStatement[] = [
    {
      sql: `UPDATE _webhooks SET ${SPEC_COLUMNS.map((c) => `${c} = ?`).join(", ")}, updated = ? WHERE id = ?`,
      args: [...specArgs(spec), now, before.id],
    },
    ...pauseChangeStatements(target, now, before.paused, spec.paused, enable),
  ];
  if (spec.secret !== undefined)
    statements.push(newSecretStatement(deps.atRest, target, parseSecret(spec.secret, "secret")));
  await writeUnique(deps, spec.name, statements);
  const changed: string[] = changedKeys(before, spec, SETTINGS);
  if (spec.secret !== undefined) changed.push("secret");
  logConfigChange(deps, "webhook updated", { webhook: spec.name, renamedFrom: before.name, changed });
  if (enable && before.disabledAt !== null) reportEnabled(deps, target, `webhook/${spec.name}`);
  return getWebhook(deps, spec.name);
}

/** deleteWebhook forgets a webhook; its delivery logs stay, held ones ended as failed. */
export async function deleteWebhook(deps: StoreDeps, name: string): Promise<Webhook> {
  const webhook = await getWebhook(deps, name);
  await deps.db.batch(
    [
      { sql: "DELETE FROM _webhooks WHERE id = ?", args: [webhook.id] },
      dropHeldStatement(webhookTarget(webhook.id), deps.clock.now().toISOString()),
    ],
    "write",
  );
  deps.signals.catalogueChanged.emit();
  logConfigChange(deps, "webhook deleted", { webhook: name });
  return webhook;
}

/** enableWebhook un-pauses a webhook, clears a disabled state and releases its held deliveries. */
export async function enableWebhook(deps: StoreDeps, name: string): Promise<Webhook> {
  const before = await getWebhook(deps, name);
  return updateWebhook(deps, before, { ...before, paused: false }, true);
}

async function writeUnique(deps: StoreDeps, name: string, statements: InStatement[]): Promise<void> {
  try {
    await deps.db.batch(statements, "write");
  } catch (err) {
    if (/UNIQUE/i.test(String(err))) throw new ConflictError(`a webhook named "${name}" already exists`);
    throw err;
  }
  deps.signals.catalogueChanged.emit();
}
