// Settings of the server itself: its database, where it listens, its tokens and keys, and the
// limits on what one request or subscription may cost. Part of the settings table (src/config.ts).
import { LOG_LEVELS } from "../lib/json_logger";
import { JIT_TIERS } from "../runtime/jit_tier";
import { setting } from "./setting";
import {
  databaseUrl,
  host,
  integer,
  oneOf,
  optional,
  originList,
  passphrase,
  text,
  wholeSeconds,
} from "./setting_parsers";

/** SERVER_SETTINGS are where hookd listens, its database, who may call it and what an answer may cost. */
export const SERVER_SETTINGS = [
  setting({
    key: "dbUrl",
    env: "HOOKD_DB_URL",
    flag: "--db",
    default: "file:./data/hookd.db",
    help: "Database: a path or file:PATH (embedded), :memory:, or http:// / libsql:// for a libSQL server",
    parse: databaseUrl,
  }),
  setting({
    key: "dbAuthToken",
    env: "HOOKD_DB_AUTH_TOKEN",
    default: "",
    help: "Auth token for a libsql:// or http:// database server",
    parse: optional,
  }),
  setting({
    key: "port",
    env: "HOOKD_PORT",
    flag: "--port",
    default: "8090",
    help: "TCP port to listen on (0 picks a free one)",
    parse: integer(0, 65535),
  }),
  setting({
    key: "host",
    env: "HOOKD_HOST",
    flag: "--host",
    default: "127.0.0.1",
    help: "Address to listen on",
    parse: host,
  }),
  setting({
    key: "adminToken",
    env: "HOOKD_ADMIN_TOKEN",
    default: "",
    help: "Admin token; when unset the first start generates one, stores its hash and prints it once",
    parse: optional,
  }),
  setting({
    key: "instanceId",
    env: "HOOKD_INSTANCE_ID",
    default: "",
    help: "Name of this instance in leases and logs (default: a random id per start)",
    parse: text,
  }),
  setting({
    key: "idleTimeoutMs",
    env: "HOOKD_IDLE_TIMEOUT",
    default: "10s",
    help: "Close a connection that has sent nothing for this long (whole seconds, 1s to 255s; checked every 4 s); subscription streams are exempt",
    doc: "Close a connection that has sent nothing for this long (whole seconds, `1s` to `255s`; Bun checks every 4 s); GraphQL subscription streams are exempt ([keep-alive](operating.md#live-updates-graphql-subscriptions-over-sse))",
    parse: wholeSeconds(1, 255),
  }),
  setting({
    key: "corsOrigins",
    env: "HOOKD_CORS_ORIGINS",
    default: "",
    help: "Comma list of browser origins (https://app.example.com) answered with CORS headers; none by default",
    doc: "Comma list of browser origins (`https://app.example.com`) answered with CORS headers; none by default",
    parse: originList,
  }),
  setting({
    key: "metricsToken",
    env: "HOOKD_METRICS_TOKEN",
    default: "",
    help: "A token that may read /metrics (Bearer or X-API-Key) without being the admin token",
    doc: "A token that may read `/metrics` (Bearer or `X-API-Key`) without being the admin token",
    parse: optional,
  }),
  setting({
    key: "encryptionKey",
    env: "HOOKD_ENCRYPTION_KEY",
    default: "",
    help: "At least 32 characters: signing secrets, the JWT private key and target header values are stored sealed with it (AES-256-GCM); every instance needs the same one",
    doc: "At least 32 characters: signing secrets, the JWT private key and target header values are stored sealed with it (AES-256-GCM); every instance needs the same one ([Secrets at rest](security.md#secrets-at-rest))",
    parse: passphrase,
  }),
  setting({
    key: "maxAnswerBytes",
    env: "HOOKD_MAX_ANSWER_BYTES",
    default: "16777216",
    help: "Largest answer (bytes) a REST listing or a GraphQL query may read; over it is a 413 (REST) or QUERY_TOO_COMPLEX (GraphQL), refused while the rows are read",
    doc: "Largest answer (bytes, 16 MiB) a REST listing or a GraphQL query may read: over it is a `413` (REST) or `QUERY_TOO_COMPLEX` (GraphQL), refused while the rows are read (see [Security](security.md#answer-and-subscription-limits))",
    parse: integer(1024, 1024 * 1024 * 1024),
  }),
  setting({
    key: "maxSubscriptions",
    env: "HOOKD_MAX_SUBSCRIPTIONS",
    default: "1000",
    help: "Live GraphQL subscriptions open at once on this instance; one more is refused with a 503 (and one API key may hold a quarter of them: a 429 past that)",
    doc: "Live GraphQL subscriptions open at once on this instance; the next is refused with a `503` (one API key may hold a quarter of them: a `429` past that)",
    parse: integer(1, 1_000_000),
  }),
  setting({
    key: "logLevel",
    env: "HOOKD_LOG_LEVEL",
    default: "info",
    help: "Least severe log line written to stdout: debug, info, warn or error",
    doc: "Least severe log line written to stdout: `debug`, `info`, `warn` or `error` ([what is logged](operating.md#what-is-logged))",
    parse: oneOf(LOG_LEVELS),
  }),
  setting({
    key: "jitTier",
    env: "HOOKD_JIT",
    default: "dfg",
    help: "JavaScriptCore's highest JIT tier for hookd serve: dfg (the optimizing FTL tier off: hookd starts itself again in place once, with BUN_JSC_useFTLJIT=0) or ftl; BUN_JSC_useFTLJIT set in the environment wins",
    doc: "JavaScriptCore's highest JIT tier for `hookd serve`: `dfg` (the optimizing FTL tier off; hookd starts itself again in place once, same PID, with `BUN_JSC_useFTLJIT=0`) or `ftl`. `BUN_JSC_useFTLJIT` set in the environment wins. The `listening` line says which tier runs ([why](decisions/011-jit-tier-is-a-setting.md))",
    parse: oneOf(JIT_TIERS),
  }),
] as const;
