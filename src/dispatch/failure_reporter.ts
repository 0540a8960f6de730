// What the dispatcher reports when things go wrong: a delivery that ended failed (a log line
// under a rate limit, and delivery.exhausted), a target whose failures in a row reached
// HOOKD_ALERT_AFTER (target.failing) or that was disabled (target.disabled). Logs name
// targets by label (orders/t1, webhook/notify); events go out through deps.ops.
import type { Delivery } from "../deliveries/delivery_row";
import type { Deps } from "../deps";
import type { HealthEvents } from "../targets/health_recorder";
import { targetLabels } from "../targets/target_label";
import { ExhaustedEvents } from "../ops/exhausted_events";
import { FailureLog } from "../ops/failure_log";

/** EXHAUSTED_EVERY_MS is the least time between two delivery.exhausted events of one target. */
const EXHAUSTED_EVERY_MS = 60_000;

/** FailedAttempt is what the log line of a failed delivery tells. */
export interface FailedAttempt {
  httpStatus: number | null;
  errorMsg: string | null;
  tries: number;
}

/** FailureReporter logs and tells of failures; one per dispatcher. */
export class FailureReporter {
  private lines: FailureLog;
  private exhausted: ExhaustedEvents;
  /** health is what the attempt recorder calls as targets' health turns. */
  readonly health: HealthEvents;

  constructor(private deps: Pick<Deps, "db" | "log" | "ops" | "config" | "timers">) {
    this.lines = new FailureLog(() => deps.log, deps.timers);
    this.exhausted = new ExhaustedEvents(
      (type, target, data) => void deps.ops.emitAbout(type, target, data),
      deps.timers,
      EXHAUSTED_EVERY_MS,
    );
    this.health = {
      alertAfter: deps.config.alertAfter,
      failing: (target, failures, failingSince) =>
        void this.tell("target failing", "target.failing", target, { consecutiveFailures: failures, failingSince }),
      disabled: (target, reason) => void this.tell("target disabled", "target.disabled", target, { reason }),
    };
  }

  /** deliveryFailed reports a delivery that ended failed (its last attempt, or a final answer); label names its target. */
  deliveryFailed(d: Delivery, label: string, a: FailedAttempt): void {
    this.lines.failed({
      id: d.id,
      target: label,
      url: d.url,
      httpStatus: a.httpStatus,
      error: a.errorMsg,
      tries: a.tries,
    });
    if (d.target !== null) this.exhausted.failed(d.target, { id: d.id, httpStatus: a.httpStatus, error: a.errorMsg });
  }

  /** stop writes the pending summary line and sends gathered events. */
  stop(): void {
    this.lines.summarize();
    this.exhausted.stop();
  }

  private async tell(
    msg: string,
    type: "target.failing" | "target.disabled",
    target: string,
    data: Record<string, unknown>,
  ) {
    const label = await targetLabels(this.deps.db, [target]).then(
      (labels) => labels.get(target) ?? target,
      () => target,
    );
    this.deps.log.warn(msg, { target: label, targetKey: target, ...data });
    await this.deps.ops.emitAbout(type, target, data);
  }
}
