// Who decides a run's end when its time limit and its COMMIT meet: the job process's main
// thread (stopping it) and its worker thread (committing it) each try to move one shared
// number out of RUNNING, and only the first succeeds. So a run reported stopped never
// committed, and a run that began its COMMIT is not stopped but answers once it is done.

/** RUNNING: the run may still be stopped. */
export const RUNNING = 0;
/** COMMITTING: the worker began the COMMIT; the run is no longer stopped. */
export const COMMITTING = 1;
/** STOPPED: the time limit won; the worker must not commit. */
export const STOPPED = 2;

/** newRunState answers the number both threads share (the worker receives it with each request). */
export function newRunState(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

/** claimRunEnd moves the state from RUNNING to `to`, answering whether this caller won. */
export function claimRunEnd(state: Int32Array, to: typeof COMMITTING | typeof STOPPED): boolean {
  return Atomics.compareExchange(state, 0, RUNNING, to) === RUNNING;
}
