// Settings come from flags, then HOOKD_* variables, then defaults. Every setting is
// declared once in SETTINGS so that parsing, --help and docs/configuration.md agree; the table
// is kept by area in src/settings/.
import { DELIVERY_SETTINGS } from "./settings/delivery_settings";
import { OPERATIONS_SETTINGS } from "./settings/operations_settings";
import { SERVER_SETTINGS } from "./settings/server_settings";
import type { Config, Setting } from "./settings/setting";

export type { Config } from "./settings/setting";
export { ConfigError } from "./settings/setting_parsers";

/** SETTINGS lists every setting with its flag, variable, default and meaning. */
export const SETTINGS = [...SERVER_SETTINGS, ...DELIVERY_SETTINGS, ...OPERATIONS_SETTINGS] as const;

/** loadConfig resolves every setting from flags, then env, then defaults; it throws ConfigError. */
export function loadConfig(flags: Record<string, string>, env: Record<string, string | undefined>): Config {
  const out: Record<string, unknown> = {};
  for (const s of SETTINGS as readonly Setting[]) {
    const fromFlag = s.flag ? flags[s.flag] : undefined;
    const raw = fromFlag ?? env[s.env] ?? s.default;
    out[s.key] = s.parse(raw, fromFlag !== undefined ? `${s.flag} (${s.env})` : s.env);
  }
  const config = out as unknown as Config;
  if (!config.instanceId) config.instanceId = crypto.randomUUID().slice(0, 8);
  return config;
}

/** testConfig gives a config for in-process tests: memory database, fast retries, loopback allowed. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig(
      {},
      {
        HOOKD_DB_URL: ":memory:",
        HOOKD_ADMIN_TOKEN: "test-token",
        HOOKD_RETRY_BASE_MS: "20",
        // Doubling from the base, as retries went before the day-long default: tests of a few
        // retries wait 20 ms, 40 ms, 80 ms... Tests of the default schedule set their own.
        HOOKD_RETRY_SCHEDULE: "2s,4s,8s,16s,32s,64s,128s",
        HOOKD_ALLOW_NETS: "127.0.0.0/8",
      },
    ),
    ...overrides,
  };
}
