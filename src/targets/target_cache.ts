// The current definition of every target, cached per process: each attempt is sent with its
// target's current URL, method, headers, timeout, JWT setting and signing keys (SPEC §3,
// "current target") without a database read. Changes made here invalidate the cache at once;
// changes by other instances are seen within pollMs, through _targets_version (bumped by
// SQL triggers on every definition and secret table), so an unchanged catalogue costs one
// tiny read per poll interval.
import type { AtRest } from "../auth/at_rest";
import type { Db } from "../db/client";
import { parseHeaders } from "../lib/column_values";
import { scheduleMs } from "../retry_schedule";
import type { Clock } from "../runtime/clock";
import type { Logger } from "../runtime/logger";
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

interface Keys {
  key: Uint8Array;
  previous: Uint8Array | null;
  previousUntil: number;
}

/** Targeted is the part of a delivery that its target's current definition replaces. */
export interface Targeted extends Omit<CurrentTarget, "paused" | "retrySchedule"> {
  target: string | null;
  targetHost: string;
}

/** Resolved is a delivery as its next attempt sends it: current settings and the keys to sign with, newest first. */
export type Resolved<D extends Targeted> = D & {
  signingKeys: Uint8Array[];
  /** control: the target's transform and limits; null for most targets, which have none. */
  control: TargetControl | null;
  paused: boolean;
  retrySchedule: number[] | null;
};

const DEFINITIONS_SQL = `
SELECT 'trigger:' || c.id || ':' || (t.value ->> '$.id') AS target, t.value ->> '$.url' AS url, t.value ->> '$.method' AS method,
       t.value ->> '$.headers' AS headers, t.value ->> '$.timeoutMs' AS timeout_ms, t.value ->> '$.jwtEnabled' AS jwt_enabled,
       coalesce(t.value ->> '$.paused', 0) AS paused, t.value ->> '$.retrySchedule' AS retry_schedule, ${TRIGGER_CONTROL_COLUMNS}
FROM _collections AS c, json_each(c.options, '$.triggers') AS t
UNION ALL SELECT 'webhook:' || id, url, method, headers, timeout_ms, jwt_enabled, paused, retry_schedule, ${CONTROL_COLUMNS} FROM _webhooks
UNION ALL SELECT 'cron:' || id, url, method, headers, timeout_ms, jwt_enabled, paused, retry_schedule, ${CONTROL_COLUMNS} FROM _cron_jobs WHERE type = 'http'`;

const bytes = (v: unknown) => new Uint8Array(v as ArrayBuffer);

/** TargetCache answers deliveries resolved against their target's current definition. */
export class TargetCache {
  private version = -1;
  private checkedAt = 0;
  private definitions = new Map<string, CurrentTarget>();
  private keys = new Map<string, Keys>();
  private controls = new Map<string, TargetControl>();
  private refreshing: Promise<void> | null = null;
  private invalidations = 0;

  constructor(
    private db: Db,
    private clock: Clock,
    private maxAgeMs: number,
    private log: Logger,
    /** atRest opens signing keys stored sealed (HOOKD_ENCRYPTION_KEY). */
    private atRest: AtRest,
  ) {}

  /** invalidate makes the next resolve re-check the catalogue (called after a change in this process). */
  invalidate(): void {
    this.invalidations++;
    this.checkedAt = 0;
  }

  /**
   * resolve gives the delivery with its target's current settings and signing keys; a delivery
   * whose target is gone (or that has none) keeps what it stored, signed with the target's last
   * keys when they are still known.
   */
  async resolve<D extends Targeted>(d: D): Promise<Resolved<D>> {
    // Twice at most: a change made here while a refresh was reading invalidates that refresh.
    for (let i = 0; i < 2 && this.clock.now().getTime() - this.checkedAt >= this.maxAgeMs; i++) {
      try {
        await this.refresh();
      } catch (err) {
        // The last known definitions are still the best guess; the next attempt reads again.
        this.log.error("reading the current targets failed; using the last known ones", { error: String(err) });
        break;
      }
    }
    const current = d.target === null ? undefined : this.definitions.get(d.target);
    const signingKeys = this.signingKeys(d.target);
    if (!current) return { ...d, signingKeys, paused: false, retrySchedule: null, control: null };
    const { paused, ...settings } = current;
    const control = this.controls.get(d.target!) ?? null;
    return { ...d, ...settings, targetHost: d.targetHost, signingKeys, paused, control };
  }

  private signingKeys(target: string | null): Uint8Array[] {
    const k = target === null ? undefined : this.keys.get(target);
    if (!k) return [];
    return k.previous && this.clock.now().getTime() < k.previousUntil ? [k.key, k.previous] : [k.key];
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async load(): Promise<void> {
    const checkedAt = this.clock.now().getTime();
    const invalidations = this.invalidations;
    const rs = await this.db.execute("SELECT version FROM _targets_version");
    const version = Number(rs.rows[0]?.version ?? 0);
    if (version !== this.version) {
      const [v, defs, secrets] = await this.db.batch(
        [
          "SELECT version FROM _targets_version",
          DEFINITIONS_SQL,
          "SELECT target, key, previous_key, previous_expires_at FROM _target_secrets",
        ],
        "read",
      );
      this.definitions = new Map(
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
      this.controls = controlsFromRows(defs!.rows, this.controls);
      this.keys = new Map(
        secrets!.rows.map((r) => [
          String(r.target),
          {
            key: this.atRest.openBytes(bytes(r.key)),
            previous: r.previous_key === null ? null : this.atRest.openBytes(bytes(r.previous_key)),
            previousUntil: r.previous_expires_at === null ? 0 : Date.parse(String(r.previous_expires_at)),
          },
        ]),
      );
      this.version = Number(v!.rows[0]?.version ?? 0);
    }
    if (invalidations === this.invalidations) this.checkedAt = checkedAt;
  }
}
