// Shared by the crash tests (dispatch_crash, ordering_crash): kill the built binary with
// SIGKILL once a burst has got far enough, then, after the restart, wait for every delivery to
// end. Both wait for conditions, under deadlines generous enough for a busy machine.
import type { Client } from "@libsql/client";
import type { RunningBinary } from "./binary";
import { waitUntil } from "./wait";

/** killWhen kills `running` with SIGKILL once `reached` holds (naming `what` if it never does) and waits for it to exit. */
export async function killWhen(running: RunningBinary, what: string, reached: () => boolean): Promise<void> {
  await waitUntil(what, () => reached() || running.proc.exitCode !== null, 60_000, 1);
  if (running.proc.exitCode !== null)
    throw new Error(`hookd exited by itself (${running.proc.exitCode}) before ${what}`);
  running.proc.kill("SIGKILL");
  await running.proc.exited;
}

/** unfinishedDeliveries counts the deliveries still pending or processing. */
export async function unfinishedDeliveries(db: Client): Promise<number> {
  const rs = await db.execute("SELECT count(*) AS n FROM _webhook_logs WHERE status IN ('pending', 'processing')");
  return Number(rs.rows[0]!.n);
}

/** deliveriesEnd waits until no delivery is pending or processing. */
export function deliveriesEnd(db: Client, timeoutMs = 60_000): Promise<void> {
  return waitUntil(
    "every delivery to end after the restart",
    async () => (await unfinishedDeliveries(db)) === 0,
    timeoutMs,
    20,
  );
}
