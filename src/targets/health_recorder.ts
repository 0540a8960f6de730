// The targets' side of recording attempts: the attempt recorder (dispatch/attempt_recorder.ts)
// counts each finished attempt here, writes the health statement beside the attempts' rows, and
// hands back what it answered, so targets that turned failing or disabled are told of (and a
// disabled target's waiting retries held).
import type { Db, InStatement, Result } from "../db/client";
import type { Logger } from "../runtime/logger";
import { disabledTargets, failingTargets, healthStatement, type DisablePolicy } from "./health_statement";
import { healthDeltas, SuccessThrottle, type FinishedFacts, type HealthDelta } from "./health_update";
import { holdStatement } from "./target_health";

/** HEALTH_SUCCESS_EVERY_MS is how often a target that keeps succeeding has its health (lastDeliveryAt) written. */
const HEALTH_SUCCESS_EVERY_MS = 1000;

/** HealthEvents hears of targets whose health just turned: failing (HOOKD_ALERT_AFTER in a row) or disabled. */
export interface HealthEvents {
  alertAfter: number;
  failing(target: string, failures: number, failingSince: string | null): void;
  disabled(target: string, reason: string): void;
}

/** HealthWrite is one flush's health statement (null: nothing to write) and the deltas it applies. */
export interface HealthWrite {
  statement: InStatement | null;
  deltas: HealthDelta[];
}

/** HealthRecorder gathers finished attempts between flushes and settles each flush's health write. */
export class HealthRecorder {
  private finished: FinishedFacts[] = [];
  private throttle = new SuccessThrottle(HEALTH_SUCCESS_EVERY_MS);

  constructor(
    private db: Db,
    private log: Logger,
    private policy: DisablePolicy,
    private events?: HealthEvents,
  ) {}

  /** add counts one finished attempt toward the next flush. */
  add(attempt: FinishedFacts): void {
    this.finished.push(attempt);
  }

  /** take answers the health write for everything added since the last take. */
  take(now: Date): HealthWrite {
    // Health is best effort: counted once per attempt, and a lost write is caught up by the next.
    const deltas = this.throttle.filter(healthDeltas(this.finished), now.getTime());
    const statement = healthStatement(deltas, this.policy, now);
    this.finished = [];
    return { statement, deltas };
  }

  /** settled reads what the health write answered: targets turned failing are told of, disabled ones held. */
  settled(healed: PromiseSettledResult<Result | null>, deltas: HealthDelta[], now: Date): void {
    if (healed.status === "rejected")
      this.log.error("recording target health failed", { error: String(healed.reason) });
    else if (healed.value) {
      if (this.events)
        for (const f of failingTargets(healed.value, deltas, this.events.alertAfter))
          this.events.failing(f.target, f.failures, f.failingSince);
      this.holdDisabled(disabledTargets(healed.value, now), now);
    }
  }

  // Rare (a target just disabled), so its waiting retries are held by a statement of their own
  // (a retry recorded in this very turn is held by the record statement itself, or by this one).
  private holdDisabled(disabled: { target: string; reason: string }[], now: Date): void {
    for (const { target, reason } of disabled) {
      this.events?.disabled(target, reason);
      this.db
        .execute(holdStatement(target, now.toISOString()))
        .catch((err) =>
          this.log.error("holding a disabled target's waiting deliveries failed", { target, error: String(err) }),
        );
    }
  }
}
