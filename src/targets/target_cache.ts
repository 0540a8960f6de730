// The current definition of every target, cached per process: each attempt is sent with its
// target's current URL, method, headers, timeout, JWT setting and signing keys (docs/delivery.md,
// "current target") without a database read. Changes made here invalidate the cache at once;
// changes by other instances are seen within pollMs, through _targets_version (bumped by
// SQL triggers on every definition and secret table), so an unchanged catalogue costs one
// tiny read per poll interval.
import type { AtRest } from "../auth/at_rest";
import type { Db } from "../db/client";
import type { Clock } from "../runtime/clock";
import type { Logger } from "../runtime/logger";
import { type CurrentTarget, type Keys, readCatalogue } from "./target_catalogue";
import type { TargetControl } from "./target_control";

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
      const catalogue = await readCatalogue(this.db, this.atRest, this.controls);
      this.definitions = catalogue.definitions;
      this.controls = catalogue.controls;
      this.keys = catalogue.keys;
      this.version = catalogue.version;
    }
    if (invalidations === this.invalidations) this.checkedAt = checkedAt;
  }
}
