// The shape of the settings table: what hookd's configuration holds (Config) and how one setting is
// declared (Setting), shared by the tables of each area and by loadConfig in src/config.ts.
import type { Cidr } from "../lib/cidr";
import type { LogLevel } from "../lib/json_logger";
import type { JitTier } from "../runtime/jit_tier";

export interface Config {
  dbUrl: string;
  dbAuthToken: string | undefined;
  port: number;
  host: string;
  adminToken: string | undefined;
  retryBaseMs: number;
  /** retrySchedule is the default wait before each retry, in ms (HOOKD_RETRY_SCHEDULE), before scaling. */
  retrySchedule: number[];
  allowNets: Cidr[];
  jwtSecret: string | undefined;
  jwtTtlSeconds: number;
  concurrency: number;
  hostConcurrency: number;
  pollMs: number;
  leaseMs: number;
  shutdownMs: number;
  idleTimeoutMs: number;
  instanceId: string;
  metricsToken: string | undefined;
  corsOrigins: string[];
  encryptionKey: string | undefined;
  retainSuccessMs: number;
  retainFailedMs: number;
  retentionEveryMs: number;
  disableAfterMs: number;
  disableMinFailures: number;
  sqlJobTimeoutMs: number;
  sqlJobProcesses: number;
  maxAnswerBytes: number;
  maxSubscriptions: number;
  logLevel: LogLevel;
  jitTier: JitTier;
  alertAfter: number;
  alertBacklogMs: number;
  backupDir: string;
  backupEveryMs: number;
  backupKeep: number;
}

export interface Setting<K extends keyof Config = keyof Config> {
  key: K;
  env: string;
  flag?: string;
  default: string;
  help: string;
  /** doc is the meaning as docs/configuration.md gives it (Markdown, links) when it says more than help. */
  doc?: string;
  parse: (raw: string, name: string) => Config[K];
}

/** setting declares one setting, typed by the Config key it sets. */
export function setting<K extends keyof Config>(s: Setting<K>): Setting<K> {
  return s;
}
