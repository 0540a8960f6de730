// Instances that share a database register in _instances with the outbound allow-list they
// run with, and beat a heartbeat. HOOKD_ALLOW_NETS is a setting of each process, so two
// instances can disagree; a delivery one refuses is then left to the other (refused_here.ts),
// which works but is seldom what the operator meant, so each instance says so loudly — at
// start, and whenever it first sees a live instance that disagrees.
import type { Db } from "../db/client";
import type { Deps } from "../deps";
import { parseCidrList, type Cidr } from "../lib/cidr";
import { refusalFor } from "./outbound_guard";

/** HEARTBEAT_MS is how often an instance says it lives; three missed beats and it is not live. */
export const HEARTBEAT_MS = 10_000;
/** LIVE_BEATS is how many heartbeats an instance may miss and still count as running. */
export const LIVE_BEATS = 3;
/** SEEN_MS is how long a stopped instance still counts: its deliveries wait for it that long rather than being failed by an instance that may not send them. */
export const SEEN_MS = 24 * 60 * 60 * 1000;

/** InstanceRegistry keeps this instance's row alive until stopped. */
export interface InstanceRegistry {
  /** stop ends the heartbeat. The row of an instance that will come back (a stable id) stays, so it still counts for SEEN_MS; a generated id's row goes. */
  stop(): Promise<void>;
}

/** RegistryOptions: heartbeatMs (tests shorten it); comesBack says the instance id is stable (HOOKD_INSTANCE_ID), so its row outlives a stop. */
export interface RegistryOptions {
  heartbeatMs?: number;
  comesBack?: boolean;
}

/** allowNetsText is the allow-list as stored and compared: its networks as written, in order. */
export function allowNetsText(nets: Cidr[]): string {
  return nets.map((n) => n.text).join(",");
}

/** startInstanceRegistry registers this instance, warns about live instances that disagree on the allow-list, and takes a fresh look at deliveries it refused under an earlier start. */
export async function startInstanceRegistry(
  deps: Pick<Deps, "db" | "config" | "clock" | "log">,
  opts: RegistryOptions = {},
): Promise<InstanceRegistry> {
  const { db, config, clock, log } = deps;
  const heartbeatMs = opts.heartbeatMs ?? HEARTBEAT_MS;
  const own = allowNetsText(config.allowNets);
  const warned = new Set<string>();
  const startedAt = clock.now().toISOString();

  async function beat(): Promise<void> {
    const now = clock.now();
    const [, , live] = await db.batch(
      [
        {
          sql: `INSERT INTO _instances (id, allow_nets, started_at, heartbeat_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET allow_nets = excluded.allow_nets, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at`,
          args: [config.instanceId, own, startedAt, now.toISOString()],
        },
        {
          sql: "DELETE FROM _instances WHERE heartbeat_at < ?",
          args: [new Date(now.getTime() - SEEN_MS).toISOString()],
        },
        {
          sql: "SELECT id, allow_nets FROM _instances WHERE id != ? AND heartbeat_at > ? ORDER BY id",
          args: [config.instanceId, new Date(now.getTime() - LIVE_BEATS * heartbeatMs).toISOString()],
        },
      ],
      "write",
    );
    for (const row of live!.rows) {
      const theirs = String(row.allow_nets);
      const key = `${row.id}\n${theirs}`;
      if (theirs === own || warned.has(key)) continue;
      warned.add(key);
      log.warn(
        "INSTANCES DISAGREE ON HOOKD_ALLOW_NETS: they share this database but not the outbound allow-list; a delivery one of them refuses is left for the other to send. Give every instance the same HOOKD_ALLOW_NETS.",
        {
          instance: config.instanceId,
          allowNets: own || "(none)",
          otherInstance: String(row.id),
          otherAllowNets: theirs || "(none)",
        },
      );
    }
  }

  // This start may run with another allow-list than the one that refused these.
  await db.execute({
    sql: "UPDATE _webhook_logs SET refused_by = NULL WHERE refused_by = ? AND status = 'pending'",
    args: [config.instanceId],
  });
  await beat();
  let beating: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    beating = beat().catch((err) =>
      log.error("instance heartbeat failed; the next beat tries again", { error: String(err) }),
    );
  }, heartbeatMs);
  return {
    async stop() {
      clearInterval(timer);
      // A beat still being written would otherwise land after the lines below and undo them.
      await beating;
      // A generated id never returns: deliveries must not wait for it. One that does stays seen
      // (SEEN_MS) but is dated past the live window at once, so nothing (`hookd restore`, the
      // allow-list check) takes a stopped instance for a running one.
      if (!opts.comesBack) await db.execute({ sql: "DELETE FROM _instances WHERE id = ?", args: [config.instanceId] });
      else
        await db.execute({
          sql: "UPDATE _instances SET heartbeat_at = ? WHERE id = ?",
          args: [new Date(clock.now().getTime() - LIVE_BEATS * heartbeatMs - 1000).toISOString(), config.instanceId],
        });
    },
  };
}

/** instancesAllowing answers the other instances, seen within SEEN_MS, whose allow-list lets a delivery reach `ip` (of `host`). */
export async function instancesAllowing(db: Db, self: string, host: string, ip: string, now: Date): Promise<string[]> {
  const rs = await db.execute({
    sql: "SELECT id, allow_nets FROM _instances WHERE id != ? AND heartbeat_at > ?",
    args: [self, new Date(now.getTime() - SEEN_MS).toISOString()],
  });
  return rs.rows.filter((r) => allows(String(r.allow_nets), host, ip)).map((r) => String(r.id));
}

function allows(text: string, host: string, ip: string): boolean {
  try {
    return refusalFor(host, ip, text ? parseCidrList(text) : []) === null;
  } catch {
    return false;
  }
}
