// Reading the catalogue of targets for the current-target cache (target_cache.ts): every
// trigger's, webhook's and HTTP cron job's definition, transform and limits, and signing keys,
// in one read batch with the version it belongs to.
import type { AtRest } from "../auth/at_rest";
import type { Db } from "../db/client";
import { parseHeaders } from "../lib/column_values";
import { scheduleMs } from "../retry_schedule";
import { CONTROL_COLUMNS, controlsFromRows, TRIGGER_CONTROL_COLUMNS, type TargetControl } from "./target_control";

/** CurrentTarget is what an attempt takes from its target at send time. */
export interface CurrentTarget {
  url: string;
  method: string;
  headers: Record<string, string>;
  timeoutMs: number;
  jwtEnabled: boolean;
  paused: boolean;
  /** retrySchedule is the target's own wait before each retry, in ms; null: HOOKD_RETRY_SCHEDULE. */
  retrySchedule: number[] | null;
}

/** Keys are a target's signing key and, during a rotation's grace period, the previous one. */
export interface Keys {
  key: Uint8Array;
  previous: Uint8Array | null;
  previousUntil: number;
}

/** Catalogue is every target by key, as of `version` (_targets_version). */
export interface Catalogue {
  version: number;
  definitions: Map<string, CurrentTarget>;
  controls: Map<string, TargetControl>;
  keys: Map<string, Keys>;
}

const DEFINITIONS_SQL = `
SELECT 'trigger:' || c.id || ':' || (t.value ->> '$.id') AS target, t.value ->> '$.url' AS url, t.value ->> '$.method' AS method,
       t.value ->> '$.headers' AS headers, t.value ->> '$.timeoutMs' AS timeout_ms, t.value ->> '$.jwtEnabled' AS jwt_enabled,
       coalesce(t.value ->> '$.paused', 0) AS paused, t.value ->> '$.retrySchedule' AS retry_schedule, ${TRIGGER_CONTROL_COLUMNS}
FROM _collections AS c, json_each(c.options, '$.triggers') AS t
UNION ALL SELECT 'webhook:' || id, url, method, headers, timeout_ms, jwt_enabled, paused, retry_schedule, ${CONTROL_COLUMNS} FROM _webhooks
UNION ALL SELECT 'cron:' || id, url, method, headers, timeout_ms, jwt_enabled, paused, retry_schedule, ${CONTROL_COLUMNS} FROM _cron_jobs WHERE type = 'http'`;

const bytes = (v: unknown) => new Uint8Array(v as ArrayBuffer);

/**
 * readCatalogue reads every target; `controls` are the ones read last time, whose compiled
 * transforms are kept when unchanged. Keys stored sealed are opened with `atRest`.
 */
export async function readCatalogue(db: Db, atRest: AtRest, controls: Map<string, TargetControl>): Promise<Catalogue> {
  const [v, defs, secrets] = await db.batch(
    [
      "SELECT version FROM _targets_version",
      DEFINITIONS_SQL,
      "SELECT target, key, previous_key, previous_expires_at FROM _target_secrets",
    ],
    "read",
  );
  const definitions = new Map(
    defs!.rows.map((r) => [
      String(r.target),
      {
        url: String(r.url),
        method: String(r.method || "POST").toUpperCase(),
        headers: parseHeaders(r.headers),
        timeoutMs: Number(r.timeout_ms) || 15_000,
        jwtEnabled: Number(r.jwt_enabled) === 1,
        paused: Number(r.paused) === 1,
        retrySchedule: r.retry_schedule === null ? null : scheduleMs(JSON.parse(String(r.retry_schedule))),
      },
    ]),
  );
  return {
    definitions,
    controls: controlsFromRows(defs!.rows, controls),
    keys: new Map(
      secrets!.rows.map((r) => [
        String(r.target),
        {
          key: atRest.openBytes(bytes(r.key)),
          previous: r.previous_key === null ? null : atRest.openBytes(bytes(r.previous_key)),
          previousUntil: r.previous_expires_at === null ? 0 : Date.parse(String(r.previous_expires_at)),
        },
      ]),
    ),
    version: Number(v!.rows[0]?.version ?? 0),
  };
}
