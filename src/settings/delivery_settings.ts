// Settings of the delivery engine: retries, which networks targets may reach, JWTs, concurrency,
// claims and shutdown, auto-disable and alerts. Part of the settings table (src/config.ts).
import { DEFAULT_RETRY_SCHEDULE } from "../retry_schedule";
import { setting } from "./setting";
import { cidrs, duration, integer, optional, retrySchedule } from "./setting_parsers";

/** DELIVERY_SETTINGS are how deliveries are sent, retried, signed, held and reported failing. */
export const DELIVERY_SETTINGS = [
  setting({
    key: "retryBaseMs",
    env: "HOOKD_RETRY_BASE_MS",
    default: "2000",
    help: "Scales every retry delay by this / 2000 (for tests: 20 makes each wait 100 times shorter)",
    doc: "Scales every retry delay by this / 2000 (for tests: `20` makes each wait 100 times shorter, `1` 2000 times)",
    parse: integer(1, 3_600_000),
  }),
  setting({
    key: "retrySchedule",
    env: "HOOKD_RETRY_SCHEDULE",
    default: DEFAULT_RETRY_SCHEDULE,
    help: "Wait before each retry after the first attempt (8 attempts over ~27.6 h by default); a target's retrySchedule and retryLimit override it",
    doc: "Wait before each retry after the first attempt (8 attempts over ~27.6 h); a target's `retrySchedule` and `retryLimit` override it ([Delivery semantics](delivery.md#delivery-semantics))",
    parse: retrySchedule,
  }),
  setting({
    key: "allowNets",
    env: "HOOKD_ALLOW_NETS",
    default: "",
    help: "CIDR list of private/loopback/link-local targets deliveries may reach (refused by default)",
    parse: cidrs,
  }),
  setting({
    key: "jwtSecret",
    env: "HOOKD_JWT_SECRET",
    default: "",
    help: "Shared secret: sign webhook JWTs with HS256 instead of the instance's ES256 key",
    parse: optional,
  }),
  setting({
    key: "jwtTtlSeconds",
    env: "HOOKD_JWT_TTL_SECONDS",
    default: "300",
    help: "Lifetime of a webhook JWT (exp - iat)",
    parse: integer(1, 86_400),
  }),
  setting({
    key: "concurrency",
    env: "HOOKD_CONCURRENCY",
    default: "128",
    help: "Deliveries in flight at once, in all",
    parse: integer(1, 10_000),
  }),
  setting({
    key: "hostConcurrency",
    env: "HOOKD_HOST_CONCURRENCY",
    default: "64",
    help: "Deliveries in flight at once to one target host (a slow receiver holds at most this many of the slots)",
    parse: integer(1, 10_000),
  }),
  setting({
    key: "pollMs",
    env: "HOOKD_POLL_MS",
    default: "250",
    help: "How often to look for deliveries written by other processes or instances",
    doc: "How often to look for deliveries written by other instances (on a server) and retries due elsewhere; on a file, other processes' commits are noticed within 10 ms anyway",
    parse: integer(10, 60_000),
  }),
  setting({
    key: "leaseMs",
    env: "HOOKD_LEASE_MS",
    default: "60000",
    help: "How long a claimed delivery stays with this instance before others may take it over",
    parse: integer(1_000, 3_600_000),
  }),
  setting({
    key: "shutdownMs",
    env: "HOOKD_SHUTDOWN_MS",
    default: "10000",
    help: "On SIGTERM, how long in-flight attempts may take before the rest is released (the process exits at the latest 2 s later)",
    parse: integer(0, 600_000),
  }),
  setting({
    key: "disableAfterMs",
    env: "HOOKD_DISABLE_AFTER",
    default: "5d",
    help: "Disable a trigger, webhook or cron job whose deliveries have kept failing, with no success, this long; 0 never disables (410 Gone still does)",
    doc: "Disable a trigger, webhook or cron job whose deliveries have kept ending `failed`, with no success, for this long (`90s`, `12h`, `5d`); `0` never disables (a `410 Gone` answer still does)",
    parse: duration(100, { zero: true }),
  }),
  setting({
    key: "disableMinFailures",
    env: "HOOKD_DISABLE_MIN_FAILURES",
    default: "10",
    help: "Auto-disable also needs at least this many failed deliveries in a row",
    parse: integer(1, 1_000_000),
  }),
  setting({
    key: "alertAfter",
    env: "HOOKD_ALERT_AFTER",
    default: "5",
    help: "Failed deliveries in a row after which a target is reported failing (log line, target.failing event)",
    doc: "Failed deliveries in a row after which a target is reported failing (log line, `target.failing` [event](operating.md#alerts-operational-events))",
    parse: integer(1, 1_000_000),
  }),
  setting({
    key: "alertBacklogMs",
    env: "HOOKD_ALERT_BACKLOG",
    default: "5m",
    help: "Report backlog.stale (and a log line) when the oldest due delivery has waited longer than this",
    doc: "Report `backlog.stale` (and a log line) when the oldest due delivery has waited longer than this",
    parse: duration(1_000),
  }),
] as const;
