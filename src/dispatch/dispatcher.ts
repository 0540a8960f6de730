// The delivery engine. The backlog stays in the database; in memory there is only what is in
// flight (at most HOOKD_CONCURRENCY) and attempts not yet written. What a delivery goes
// through, in the order of the methods below (each step's detail is in the file named):
//   claim     due rows leased to this instance (delivery_leases.ts, claim_statement.ts), waiting
//             for a slot within HOOKD_CONCURRENCY and HOOKD_HOST_CONCURRENCY (ready_queue.ts)
//   resolve   the target's current settings and signing keys (targets/target_cache.ts)
//   throttle  a target's rate limit and cap in flight may hold it back, no attempt used (throttle.ts)
//   prepare   sealed headers opened, the target's transform (targets/transform_step.ts), headers,
//             signature and JWT (delivery_request.ts, lib/webhook_signature.ts)
//   send      outbound HTTP through the allow-list guard (outbound_http.ts, outbound_guard.ts)
//   record    the next state (finished_attempt.ts, retry_policy.ts) and the attempt row, written
//             in batches (attempt_recorder.ts); an allow-list refusal may be another's (refused_here.ts)
import type { Deps } from "../deps";
import type { Delivery } from "../deliveries/delivery_row";
import { SingleFlight } from "../lib/single_flight";
import { every } from "../runtime/timers";
import { WakeTimer } from "../runtime/wake_timer";
import { TargetCache, type Resolved } from "../targets/target_cache";
import type { TargetControl } from "../targets/target_control";
import { holdClaimedStatement } from "../targets/target_health";
import { deliveryTargetLabel } from "../targets/target_label";
import { AttemptRecorder } from "./attempt_recorder";
import { Leases, releaseExpiredLeases, releaseOwnLeases } from "./delivery_leases";
import { notPrepared, prepareAttempt } from "./delivery_request";
import { FailureReporter } from "./failure_reporter";
import { finishAttempt } from "./finished_attempt";
import { OutboundGuard } from "./outbound_guard";
import { sendRequest } from "./outbound_http";
import { ReadyQueue } from "./ready_queue";
import { RefusedHere } from "./refused_here";
import { UNSCALED_BASE_MS, type AttemptResult, type RetryPlan } from "./retry_policy";
import { type Admission, isThrottled, Throttle } from "./throttle";

/** ResolvedDelivery is a claimed delivery with its target's current settings and signing keys. */
export type ResolvedDelivery = Resolved<Delivery>;

/** startDispatcher returns this instance's and expired leases to pending and starts sending. */
export async function startDispatcher(deps: Deps): Promise<Dispatcher> {
  const returned =
    (await releaseOwnLeases(deps.db, deps.config.instanceId, deps.clock.now())) +
    (await releaseExpiredLeases(deps.db, deps.clock.now()));
  if (returned > 0) deps.log.info("unfinished deliveries returned to pending", { count: returned });
  return new Dispatcher(deps);
}

/** Dispatcher sends due deliveries until stopped. */
export class Dispatcher {
  private readonly owner: string;
  /** leases claims due rows for this instance, and defers or gives them back. */
  private readonly leases: Leases;
  private readonly guard: OutboundGuard;
  /** retryPlan is HOOKD_RETRY_SCHEDULE, stretched or shrunk by HOOKD_RETRY_BASE_MS / UNSCALED_BASE_MS. */
  private readonly retryPlan: RetryPlan;
  private readonly recorder: AttemptRecorder;
  /** failures logs failed deliveries (throttled) and tells the ops events of failing targets. */
  private readonly failures: FailureReporter;
  private readonly refusedHere: RefusedHere;
  /** Each attempt uses its target's current settings, from memory; see target_cache.ts. */
  private readonly targets: TargetCache;
  private readonly ready: ReadyQueue;
  /** throttle holds back deliveries of targets with a rate limit or a cap in flight. */
  private readonly throttle: Throttle;
  private readonly wakes: WakeTimer;
  /** One claim at a time; a wake during one claims once more after it. */
  private readonly claims = new SingleFlight(() => this.claimBatch());
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopSending = new AbortController();
  private readonly unsubscribe: (() => void)[];
  private stopping = false;
  private stopped: Promise<void> | null = null;
  /**
   * leftBehind: the last claim may have left due rows unclaimed (it filled the room, or a host
   * reached its share), so a freed slot should claim again. Otherwise new rows are claimed as
   * they are queued, retries when they fall due, and other writers' rows when seen (or polled).
   */
  private leftBehind = false;

  constructor(private readonly deps: Deps) {
    const { config, db, clock, log, timers, signals } = deps;
    this.owner = config.instanceId;
    this.leases = new Leases(db, this.owner, config.leaseMs);
    this.guard = new OutboundGuard(config.allowNets);
    this.retryPlan = { schedule: config.retrySchedule, scale: config.retryBaseMs / UNSCALED_BASE_MS };
    // Live subscribers hear of this instance's changes once they are written, not a poll later.
    this.failures = new FailureReporter(deps);
    this.recorder = new AttemptRecorder(
      db,
      this.owner,
      log,
      config,
      () => deps.live.logs.poke(),
      this.failures.health,
      clock,
    );
    this.refusedHere = new RefusedHere(db, this.owner, log);
    this.targets = new TargetCache(db, clock, config.pollMs, log, deps.atRest);
    this.ready = new ReadyQueue(config.concurrency, config.hostConcurrency);
    this.throttle = new Throttle(db);
    this.wakes = new WakeTimer(
      timers,
      () => void this.claim(),
      () => void this.lookForDueWork(),
    );
    this.unsubscribe = [
      every(timers, config.pollMs, () => void this.lookForDueWork()),
      // On a file, rows written by other processes (or a SQL job's thread) are looked for as soon as they commit.
      db.watchOtherWriters(() => void this.lookForDueWork()),
      // A queued delivery is claimed as soon as its write committed (claims coalesce): on a
      // group-committing database the claim joins the next group.
      signals.deliveriesQueued.subscribe(() => void this.claim()),
      signals.catalogueChanged.subscribe(() => this.targets.invalidate()),
    ];
    this.wakes.wakeSoon();
  }

  /** wake asks for a claim soon: a commit may have enqueued deliveries. */
  wake(): void {
    this.wakes.wakeSoon();
  }

  /** stop stops claiming, lets in-flight attempts finish within config.shutdownMs, then releases the rest. */
  stop(): Promise<void> {
    this.stopped ??= this.shutDown();
    return this.stopped;
  }

  // A poll or a timed wake first reads whether anything is due (an idle instance only reads),
  // claims when it is, and arms a wake for the next retry due before the next poll, so
  // retries (ours or another process's) are not late by up to a poll interval.
  private async lookForDueWork(): Promise<void> {
    if (this.stopping) return;
    const { clock, config, log } = this.deps;
    try {
      const { msUntilDue, expiredLease } = await this.leases.findDue(clock.now());
      if (msUntilDue === 0 || expiredLease) await this.claim();
      // Overdue rows we could not take (capacity, host limit) come back when attempts finish.
      else if (msUntilDue !== null && msUntilDue < config.pollMs && !this.stopping) this.wakes.wakeAt(msUntilDue);
    } catch (err) {
      log.error("looking for due deliveries failed; the next poll tries again", { error: String(err) });
    }
  }

  private claim(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return this.claims
      .run()
      .catch((err) =>
        this.deps.log.error("claiming deliveries failed; the next poll tries again", { error: String(err) }),
      );
  }

  /** claimBatch claims as many due deliveries as there is room for and starts them; true when a full batch means more may be due. */
  private async claimBatch(): Promise<boolean> {
    if (this.stopping) return false;
    const room = this.ready.room;
    if (room <= 0) return false;
    const { clock, log } = this.deps;
    try {
      const claimed = await this.leases.claim(clock.now(), {
        limit: room,
        hostLimit: this.ready.hostShare,
        hostBusy: this.ready.heldByHost(),
      });
      // Rows claimed while stopping are not started; stop() releases them.
      if (this.stopping) return false;
      if (claimed.length > 0) this.deps.live.logs.poke();
      this.ready.add(claimed);
      this.leftBehind = claimed.length === room || this.ready.anyHostAtShare();
      this.startReady();
      return claimed.length === room;
    } catch (err) {
      log.error("claiming deliveries failed; the next poll tries again", { error: String(err) });
      return false;
    }
  }

  private startReady(): void {
    for (let d = this.ready.next(); d && !this.stopping; d = this.ready.next()) this.start(d);
  }

  private start(d: Delivery): void {
    const done: Promise<void> = this.deliver(d)
      .catch((err) =>
        // The row stays leased to us: once the lease runs out it is claimed and sent again.
        this.deps.log.error("delivering failed; the delivery is tried again when its lease runs out", {
          id: d.id,
          error: String(err),
        }),
      )
      .finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }

  // One claimed delivery: resolve → throttle → prepare and send → record (or held back unsent).
  private async deliver(d: Delivery): Promise<void> {
    let current: ResolvedDelivery;
    let result: AttemptResult | null = null;
    let heldBackUntil: Date | null = null;
    try {
      current = await this.targets.resolve(d);
      // Most targets are not throttled: no admission to wait for.
      const gate = current.paused || !isThrottled(current.control) ? null : await this.admit(current, current.control);
      if (gate && !gate.send) heldBackUntil = gate.until;
      else {
        const waitMs = gate?.waitMs;
        if (waitMs) await new Promise<void>((resolve) => this.deps.timers.setTimeout(resolve, waitMs));
        // Paused after it was claimed (it may have waited in the ready queue): not sent, no try used.
        result = current.paused ? null : await this.prepareAndSend(current);
        if (gate) this.throttle.finished(current, result?.durationMs ?? 0);
      }
    } finally {
      this.ready.finished(d);
    }
    if (heldBackUntil) {
      this.deferUnsent(current, heldBackUntil);
      return this.startReady();
    }
    // Cut off by shutdown: not an attempt that counts; the row is released by stop().
    if (this.stopSending.signal.aborted) return;
    if (result) this.record(current, result);
    else this.holdUnsent(d);
    this.startReady();
    // Refill while half a batch is still waiting, so slots never wait for a claim; only when
    // the last claim may have left due rows behind (at one client, a claim per delivery that
    // found nothing cost about 6 % of the CPU).
    if (this.leftBehind && this.ready.waitingCount < this.deps.config.concurrency / 2) this.wakes.wakeSoon();
  }

  // A throttled target's delivery may have to wait its turn (throttle.ts).
  private async admit(d: ResolvedDelivery, control: TargetControl): Promise<Admission> {
    const { clock, config, log } = this.deps;
    try {
      return await this.throttle.admit(d, control, clock.now().getTime());
    } catch (err) {
      log.error("taking a throttled target's send slot failed; the delivery waits a poll", { error: String(err) });
      return { send: false, until: new Date(clock.now().getTime() + config.pollMs) };
    }
  }

  // Held back by its target's limits: pending again, due when it may go; no attempt used.
  private deferUnsent(d: ResolvedDelivery, until: Date): void {
    const { clock, log, metrics } = this.deps;
    metrics.deliveryThrottled(d, until);
    this.leases
      .defer(d.id, until, clock.now())
      .then(() => this.wakes.wakeAt(until.getTime() - clock.now().getTime()))
      .catch((err) =>
        // The lease runs out and the delivery is claimed again.
        log.error("deferring a throttled delivery failed", { id: d.id, error: String(err) }),
      );
  }

  // Rare (a pause landing between claim and send), so one statement of its own.
  private holdUnsent(d: Delivery): void {
    const { db, clock, log } = this.deps;
    db.execute(holdClaimedStatement(d.id, this.owner, clock.now().toISOString())).catch((err) =>
      // The lease runs out and the delivery is claimed again, and held then.
      log.error("holding a paused target's delivery failed", { id: d.id, error: String(err) }),
    );
  }

  private async prepareAndSend(d: ResolvedDelivery): Promise<AttemptResult> {
    const { atRest, signer, clock } = this.deps;
    try {
      const req = await prepareAttempt(d, atRest, signer, clock);
      return await sendRequest(req, this.guard, this.stopSending.signal);
    } catch (err) {
      // Only the transform and preparing can throw; sendRequest answers every failure.
      return notPrepared(err);
    }
  }

  private record(d: ResolvedDelivery, result: AttemptResult, mayBeAnothersToSend = true): void {
    const { clock, metrics } = this.deps;
    // This instance's allow-list refused it: it may be another instance's to send.
    if (result.refusedAddress !== undefined && mayBeAnothersToSend) {
      return void this.refusedHere.settle(d, result.refusedAddress, result, clock.now(), () =>
        this.record(d, result, false),
      );
    }
    const now = clock.now();
    const { outcome, next, tries, record } = finishAttempt(d, result, this.retryPlan, now);
    const label = deliveryTargetLabel(d);
    metrics.attemptFinished(d.source, outcome, result.durationMs / 1000, label);
    if (next.status === "success" || next.status === "failed") metrics.deliveryFinished(d.source, next.status, label);
    if (next.status === "failed") this.failures.deliveryFailed(d, label, { ...result, tries });
    // The end of an ordered delivery makes the next of its key due in the same write; claim it then.
    const nextOfKey = d.orderingKey !== null && next.status !== "pending" ? () => this.wakes.wakeSoon() : undefined;
    this.recorder.record(record, nextOfKey);
    if (next.status === "pending") this.wakes.wakeAt(next.nextAttemptAt.getTime() - now.getTime());
  }

  private async shutDown(): Promise<void> {
    const { clock, config, log, timers } = this.deps;
    this.stopping = true;
    this.ready.clear();
    for (const stop of this.unsubscribe) stop();
    this.wakes.cancel();
    await this.claims.current;
    const deadline = timers.setTimeout(() => this.stopSending.abort(), config.shutdownMs);
    await Promise.all(this.inFlight);
    timers.clearTimeout(deadline);
    await this.recorder.flush();
    this.failures.stop();
    const released = await this.leases.releaseOwn(clock.now());
    log.info("dispatcher stopped", { released, unrecorded: this.recorder.pending });
  }
}
