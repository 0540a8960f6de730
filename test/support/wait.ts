// Waiting in tests without racing the clock: poll for a condition under a generous deadline,
// or bound a promise by one. A busy machine only makes these slower, never wrong; a fixed
// sleep that "should be enough" is what fails there (test/product/fixed_sleeps.test.ts counts them).

/** waitUntil polls `check` every `everyMs` until it holds, or throws naming `what` after timeoutMs. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
  everyMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await Bun.sleep(everyMs);
  }
}

/** settlesWithin answers `promise`'s value, or `late` if it has not settled after `ms` (the timer is then cleared). */
export async function settlesWithin<T, L>(promise: Promise<T>, ms: number, late: L): Promise<T | L> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<L>((resolve) => {
    timer = setTimeout(() => resolve(late), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** exitsWithin answers whether a process exits within `ms`. */
export function exitsWithin(proc: { exited: Promise<number> }, ms: number): Promise<boolean> {
  return settlesWithin(
    proc.exited.then(() => true),
    ms,
    false,
  );
}
