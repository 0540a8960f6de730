// The delivery loop, as named steps: claimDueDeliveries → resolve the current target →
// prepareRequest → sendRequest → nextState → recordAttempt. The backlog stays in the
// database; in memory there is only what is in flight (at most HOOKD_CONCURRENCY) and
// attempts not yet written.
import { openHeaders } from "../auth/header_sealing";
import type { Deps } from "../deps";
import { AttemptRecorder } from "./attempt_recorder";
import { prepareRequest } from "./delivery_request";
import {
  claimDueDeliveries,
  deferDelivery,
  findDueWork,
  releaseExpiredLeases,
  releaseOwnLeases,
} from "./delivery_leases";
import { type Admission, isThrottled, Throttle } from "./throttle";
import type { TargetControl } from "../targets/target_control";
import type { Delivery } from "../deliveries/delivery_row";
import { OutboundGuard } from "./outbound_guard";
import { sendRequest } from "./outbound_http";
import { attemptOutcome, nextState, UNSCALED_BASE_MS, type AttemptResult } from "./retry_policy";
import { ReadyQueue } from "./ready_queue";
import { RefusedHere } from "./refused_here";
import { TargetCache, type ResolvedDelivery } from "../targets/target_cache";
import { holdClaimedStatement } from "../targets/target_health";
import { WakeTimer } from "./wake_timer";
import { transformDelivery } from "./transform_step";
import { TransformError } from "../targets/transform";
import { FailureReporter } from "../ops/failure_reporter";

/** Dispatcher sends due deliveries until stopped. */
export interface Dispatcher {
  /** wake asks for a claim soon: a commit may have enqueued deliveries. */
  wake(): void;
  /** stop stops claiming, lets in-flight attempts finish within config.shutdownMs, then releases the rest. */
  stop(): Promise<void>;
}

/** startDispatcher returns expired leases to pending, starts the loop and points deps.wake at it. */
export async function startDispatcher(deps: Deps): Promise<Dispatcher> {
  const { config, db, clock, log } = deps;
  const owner = config.instanceId;
  const returned = (await releaseOwnLeases(db, owner, clock.now())) + (await releaseExpiredLeases(db, clock.now()));
  if (returned > 0) log.info("unfinished deliveries returned to pending", { count: returned });

  const guard = new OutboundGuard(config.allowNets);
  const retryScale = config.retryBaseMs / UNSCALED_BASE_MS;
  // Live subscribers hear of this instance's changes once they are written, not a poll later.
  const failures = new FailureReporter(deps);
  const recorder = new AttemptRecorder(db, owner, log, config, () => deps.live.logs.poke(), failures.health);
  const refusedHere = new RefusedHere(db, owner, log);
  // Each attempt uses its target's current settings, from memory; see target_cache.ts.
  const targets = new TargetCache(db, clock, config.pollMs, log, deps.atRest);
  deps.targetsChanged = () => targets.invalidate();
  const ready = new ReadyQueue(config.concurrency, config.hostConcurrency);
  const throttle = new Throttle(db);
  const inFlight = new Set<Promise<void>>();
  const stopSending = new AbortController();
  let stopping = false;
  let claimAgain = false;
  // A poll saw a lease run out: the next claim takes such rows too (claim_statement.ts).
  let expiredSeen = false;

  const timer = new WakeTimer(
    () => void claim(),
    () => void claimThenArm(),
  );
  const poll = setInterval(() => void claimThenArm(), config.pollMs);
  // On a file, rows written by other processes (or a SQL job's thread) are looked for as soon as they commit.
  const unwatch = db.watchOtherWriters?.(() => void claimThenArm()) ?? (() => {});

  // A poll or a timed wake first reads whether anything is due (an idle instance only reads),
  // claims when it is, and arms a wake for the next retry due before the next poll, so
  // retries (ours or another process's) are not late by up to a poll interval.
  async function claimThenArm(): Promise<void> {
    if (stopping) return;
    try {
      const { msUntilDue, expiredLease } = await findDueWork(db, clock.now(), owner);
      if (expiredLease) expiredSeen = true;
      if (msUntilDue === 0 || expiredLease) await claim();
      // Overdue rows we could not take (capacity, host limit) come back when attempts finish.
      else if (msUntilDue !== null && msUntilDue < config.pollMs && !stopping) timer.wakeAt(msUntilDue);
    } catch (err) {
      log.error("looking for due deliveries failed; the next poll tries again", { error: String(err) });
    }
  }

  let claimRun: Promise<void> | null = null;
  function claim(): Promise<void> {
    if (stopping) return Promise.resolve();
    if (claimRun) {
      claimAgain = true;
      return claimRun;
    }
    claimRun = claimWhileFree().finally(() => (claimRun = null));
    return claimRun;
  }

  async function claimWhileFree(): Promise<void> {
    try {
      do {
        claimAgain = false;
        const room = ready.room;
        if (room <= 0) break;
        const expiredLeases = expiredSeen;
        const claimed = await claimDueDeliveries(db, {
          owner,
          now: clock.now(),
          limit: room,
          leaseMs: config.leaseMs,
          hostLimit: ready.hostShare,
          hostBusy: ready.heldByHost(),
          expiredLeases,
        });
        if (expiredLeases) expiredSeen = false;
        // Rows claimed while stopping are not started; stop() releases them.
        if (stopping) break;
        if (claimed.length > 0) deps.live.logs.poke();
        ready.add(claimed);
        startReady();
        // A full batch means more may be due right now.
        if (claimed.length === room) claimAgain = true;
      } while (claimAgain && !stopping);
    } catch (err) {
      log.error("claiming deliveries failed; the next poll tries again", { error: String(err) });
    }
  }

  function startReady(): void {
    for (let d = ready.next(); d && !stopping; d = ready.next()) start(d);
  }

  function start(d: Delivery): void {
    const done: Promise<void> = targets.resolve(d).then(async (current) => {
      // A throttled target's delivery may have to wait its turn (throttle.ts); others skip this.
      const gate = !current.paused && isThrottled(current.control) ? await admit(current, current.control) : null;
      if (gate && !gate.send) {
        inFlight.delete(done);
        ready.finished(d);
        deferUnsent(current, gate.until);
        startReady();
        return;
      }
      if (gate?.waitMs) await new Promise((resolve) => setTimeout(resolve, gate.waitMs));
      // Paused after it was claimed (it may have waited in the ready queue): not sent, no try used.
      const result = current.paused ? null : await attempt(current);
      if (gate) throttle.finished(current, result?.durationMs ?? 0);
      inFlight.delete(done);
      ready.finished(d);
      // Cut off by shutdown: not an attempt that counts; the row is released below.
      if (stopSending.signal.aborted) return;
      if (result) recordAttempt(current, result);
      else holdUnsent(d);
      startReady();
      // Refill while half a batch is still waiting, so slots never wait for a claim.
      if (ready.waitingCount < config.concurrency / 2) timer.wakeSoon();
    });
    inFlight.add(done);
  }

  async function attempt(d: ResolvedDelivery): Promise<AttemptResult> {
    try {
      // Header values stored sealed (HOOKD_ENCRYPTION_KEY) are opened for this attempt only.
      const opened = { ...d, headers: openHeaders(deps.atRest, d.headers) };
      const shaped = d.control?.transform ? await transformDelivery(opened, d.control.transform) : opened;
      const req = await prepareRequest(shaped, deps.signer, clock.now());
      return await sendRequest(req, guard, stopSending.signal);
    } catch (err) {
      // Only the transform and preparing can throw (a failed expression, a URL hookd cannot sign
      // for): neither will change on a retry.
      const what = err instanceof TransformError ? "the transform failed" : "could not prepare the request";
      return {
        httpStatus: null,
        errorMsg: `${what}: ${(err as Error).message}`,
        responseBody: null,
        durationMs: 0,
        retryAfter: null,
        refused: true,
      };
    }
  }

  async function admit(d: ResolvedDelivery, control: TargetControl): Promise<Admission> {
    try {
      return await throttle.admit(d, control, clock.now().getTime());
    } catch (err) {
      log.error("taking a throttled target's send slot failed; the delivery waits a poll", { error: String(err) });
      return { send: false, until: new Date(clock.now().getTime() + config.pollMs) };
    }
  }

  // Held back by its target's limits: pending again, due when it may go; no attempt used.
  function deferUnsent(d: ResolvedDelivery, until: Date): void {
    deps.metrics.deliveryThrottled(d, until);
    deferDelivery(db, d.id, owner, until, clock.now())
      .then(() => timer.wakeAt(until.getTime() - clock.now().getTime()))
      .catch((err) =>
        // The lease runs out and the delivery is claimed again.
        log.error("deferring a throttled delivery failed", { id: d.id, error: String(err) }),
      );
  }

  // Rare (a pause landing between claim and send), so one statement of its own.
  function holdUnsent(d: Delivery): void {
    db.execute(holdClaimedStatement(d.id, owner, clock.now().toISOString())).catch((err) =>
      // The lease runs out and the delivery is claimed again, and held then.
      log.error("holding a paused target's delivery failed", { id: d.id, error: String(err) }),
    );
  }

  function recordAttempt(d: ResolvedDelivery, result: AttemptResult, mayBeAnothersToSend = true): void {
    // This instance's allow-list refused it: it may be another instance's to send.
    if (result.refusedAddress !== undefined && mayBeAnothersToSend) {
      return void refusedHere.settle(d, result.refusedAddress, result, clock.now(), () =>
        recordAttempt(d, result, false),
      );
    }
    const now = clock.now();
    const tries = d.tries + 1;
    const outcome = attemptOutcome(result);
    const next = nextState({
      outcome,
      tries,
      retryLimit: d.retryLimit,
      plan: { schedule: d.retrySchedule ?? config.retrySchedule, scale: retryScale },
      retryAfter: result.retryAfter,
      now,
    });
    deps.metrics.attemptFinished(d, outcome, result.durationMs / 1000);
    if (next.status === "success" || next.status === "failed") deps.metrics.deliveryFinished(d, next.status);
    if (next.status === "failed") failures.deliveryFailed(d, { ...result, tries });
    // The end of an ordered delivery makes the next of its key due in the same write; claim it then.
    const nextOfKey = d.orderingKey !== null && next.status !== "pending" ? () => timer.wakeSoon() : undefined;
    recorder.record(
      {
        id: d.id,
        target: d.target,
        url: d.url,
        hold: d.paused,
        status: next.status,
        http_status: result.httpStatus,
        error_msg: result.errorMsg,
        response_body: result.responseBody,
        duration_ms: result.durationMs,
        tries,
        next_attempt_at: next.nextAttemptAt.toISOString(),
        updated_at: now.toISOString(),
        last_attempt_at: new Date(now.getTime() - result.durationMs).toISOString(),
      },
      nextOfKey,
    );
    if (next.status === "pending") timer.wakeAt(next.nextAttemptAt.getTime() - now.getTime());
  }

  // A wake claims at once (claim() coalesces): on a group-committing database the claim then
  // joins the waking write's transaction, behind it (record_store.ts `written`).
  deps.wake = () => void claim();
  timer.wakeSoon();

  async function stop(): Promise<void> {
    stopping = true;
    ready.clear();
    clearInterval(poll);
    unwatch();
    timer.cancel();
    deps.wake = () => {};
    deps.targetsChanged = () => {};
    await claimRun;
    const deadline = setTimeout(() => stopSending.abort(), config.shutdownMs);
    await Promise.all(inFlight);
    clearTimeout(deadline);
    await recorder.flush();
    failures.stop();
    const released = await releaseOwnLeases(db, owner, clock.now());
    log.info("dispatcher stopped", { released, unrecorded: recorder.pending });
  }

  let stopped: Promise<void> | null = null;

  return { wake: () => timer.wakeSoon(), stop: () => (stopped ??= stop()) };
}
