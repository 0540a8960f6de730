// A refusal by this instance's own HOOKD_ALLOW_NETS must never finish another instance's
// delivery. When another instance (seen within a day, see instance_registry.ts) is allowed to
// reach the address, the delivery goes back to pending without using a try, marked
// refused_by this instance so its claims pass it by; an allowed instance takes it at its next
// claim. When no instance is allowed, it is refused for good, as a single instance does.
// When every instance that looks at it refuses (say the allowed one is stopped), it stays
// pending, each refusing instance warns (at most once a minute per host), and after the second
// refuser it waits LOOK_AGAIN_MS between looks instead of passing between instances.
import type { Db } from "../db/client";
import type { Logger } from "../runtime/logger";
import type { Delivery } from "../deliveries/delivery_row";
import { instancesAllowing } from "./instance_registry";
import type { AttemptResult } from "./retry_policy";

/** LOOK_AGAIN_MS is how long a delivery two instances refused waits before the next look. */
export const LOOK_AGAIN_MS = 60_000;
const WARN_EVERY_MS = 60_000;

const HAND_BACK_SQL = `
UPDATE _webhook_logs
SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL, updated_at = :now, error_msg = :message,
    next_attempt_at = CASE WHEN refused_by IS NOT NULL AND refused_by != :owner THEN :later ELSE next_attempt_at END,
    refused_by = :owner
WHERE id = :id AND status = 'processing' AND lease_owner = :owner`;

/** RefusedHere settles attempts this instance's allow-list refused. */
export class RefusedHere {
  private warnedAt = new Map<string, number>();

  constructor(
    private db: Db,
    private owner: string,
    private log: Logger,
  ) {}

  /** settle hands the delivery back when another instance may reach the address; otherwise it calls recordAsRefused (the attempt fails as before). */
  async settle(
    d: Delivery,
    address: string,
    result: AttemptResult,
    now: Date,
    recordAsRefused: () => void,
  ): Promise<void> {
    try {
      const allowed = await instancesAllowing(this.db, this.owner, d.targetHost, address, now);
      if (allowed.length === 0) return recordAsRefused();
      const message = `${result.errorMsg}; left pending for an instance whose HOOKD_ALLOW_NETS allows it (${allowed.join(", ")})`;
      await this.db.execute({
        sql: HAND_BACK_SQL,
        args: {
          id: d.id,
          owner: this.owner,
          now: now.toISOString(),
          later: new Date(now.getTime() + LOOK_AGAIN_MS).toISOString(),
          message,
        },
      });
      this.warn(d, allowed, now);
    } catch (err) {
      // The lease runs out and the row comes back; nothing is failed on a guess.
      this.log.error("handing a refused delivery back failed; it returns when its lease runs out", {
        id: d.id,
        error: String(err),
      });
    }
  }

  private warn(d: Delivery, allowed: string[], now: Date): void {
    const last = this.warnedAt.get(d.targetHost) ?? 0;
    if (now.getTime() - last < WARN_EVERY_MS) return;
    this.warnedAt.set(d.targetHost, now.getTime());
    this.log.warn(
      "this instance's HOOKD_ALLOW_NETS refuses a delivery's target; left pending for an instance allowed to reach it",
      {
        id: d.id,
        host: d.targetHost,
        allowedOn: allowed,
      },
    );
  }
}
