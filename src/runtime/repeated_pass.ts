// Background work run as passes (retention, scheduled backups, the backlog watch): one now, then
// one every so often, until stopped. A pass that fails is logged and the next one tries again;
// stopping waits for the pass under way, so a shutdown never leaves one half done.
import type { Logger } from "./logger";
import { every, type Timers } from "./timers";

/** RepeatedPass is background work started by repeatPass. */
export interface RepeatedPass {
  /** stop ends the passes and resolves once the one under way has finished. */
  stop(): Promise<void>;
}

/** repeatPass runs `pass` now and then every `ms` milliseconds; a failure is logged as `failed` says. */
export function repeatPass(
  deps: { timers: Timers; log: Logger },
  ms: number,
  pass: () => Promise<unknown>,
  failed: string,
): RepeatedPass {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = pass().catch((err) => deps.log.error(failed, { error: String(err) }));
  };
  const stopTicks = every(deps.timers, ms, tick);
  tick();
  return {
    async stop() {
      stopTicks();
      await running;
    },
  };
}
