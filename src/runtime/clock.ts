// The time, passed in so tests and policies can use their own.

/** Clock tells the time; tests may pass their own. */
export interface Clock {
  now(): Date;
}

/** systemClock is the real clock. */
export const systemClock: Clock = { now: () => new Date() };
