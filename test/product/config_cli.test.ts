// Config and CLI: flags over HOOKD_* variables over defaults; every invalid value stops
// start-up with a message that names the setting and what is accepted.
import { describe, expect, test } from "bun:test";
import { CliError, helpText, parseCommand, type Command } from "../../src/cli";
import { ConfigError, loadConfig, SETTINGS } from "../../src/config";
import { VERSION } from "../../src/version";

const ROOT = `${import.meta.dir}/../..`;
const BUN = process.execPath;

describe("loadConfig", () => {
  test("defaults", () => {
    const c = loadConfig({}, {});
    expect(c).toMatchObject({
      dbUrl: "file:./data/hookd.db",
      dbAuthToken: undefined,
      port: 8090,
      host: "127.0.0.1",
      adminToken: undefined,
      retryBaseMs: 2000,
      allowNets: [],
      jwtSecret: undefined,
      jwtTtlSeconds: 300,
      concurrency: 128,
      hostConcurrency: 64,
      pollMs: 250,
      leaseMs: 60000,
      shutdownMs: 10000,
    });
    expect(c.instanceId).toMatch(/^[0-9a-f]{8}$/);
    expect(loadConfig({}, {}).instanceId).not.toBe(c.instanceId);
  });

  const PRECEDENCE: {
    name: string;
    flags: Record<string, string>;
    env: Record<string, string>;
    expected: Record<string, unknown>;
  }[] = [
    {
      name: "env over default",
      flags: {},
      env: { HOOKD_PORT: "9000", HOOKD_HOST: "0.0.0.0", HOOKD_DB_URL: ":memory:" },
      expected: { port: 9000, host: "0.0.0.0", dbUrl: ":memory:" },
    },
    {
      name: "flag over env",
      flags: { "--port": "9100", "--host": "::1", "--db": "http://127.0.0.1:8080" },
      env: { HOOKD_PORT: "9000", HOOKD_HOST: "0.0.0.0", HOOKD_DB_URL: ":memory:" },
      expected: { port: 9100, host: "::1", dbUrl: "http://127.0.0.1:8080" },
    },
    {
      name: "flag over default",
      flags: { "--port": "0" },
      env: {},
      expected: { port: 0, dbUrl: "file:./data/hookd.db" },
    },
    {
      name: "env-only settings",
      flags: {},
      env: {
        HOOKD_ADMIN_TOKEN: "s3cret",
        HOOKD_RETRY_BASE_MS: "20",
        HOOKD_JWT_SECRET: "shh",
        HOOKD_INSTANCE_ID: "node-a",
        HOOKD_DB_AUTH_TOKEN: "tok",
      },
      expected: { adminToken: "s3cret", retryBaseMs: 20, jwtSecret: "shh", instanceId: "node-a", dbAuthToken: "tok" },
    },
    {
      name: "empty optional values mean unset",
      flags: {},
      env: { HOOKD_ADMIN_TOKEN: "", HOOKD_JWT_SECRET: "" },
      expected: { adminToken: undefined, jwtSecret: undefined },
    },
    {
      name: "every database URL form",
      flags: { "--db": "libsql://db.example.com" },
      env: {},
      expected: { dbUrl: "libsql://db.example.com" },
    },
    {
      name: "file URL",
      flags: {},
      env: { HOOKD_DB_URL: "file:/var/lib/hookd/hookd.db" },
      expected: { dbUrl: "file:/var/lib/hookd/hookd.db" },
    },
    {
      name: "a plain path is the embedded file",
      flags: { "--db": "./x.db" },
      env: {},
      expected: { dbUrl: "file:./x.db" },
    },
    {
      name: "an absolute path",
      flags: {},
      env: { HOOKD_DB_URL: "/var/lib/hookd/hookd.db" },
      expected: { dbUrl: "file:/var/lib/hookd/hookd.db" },
    },
    { name: "host names", flags: { "--host": "localhost" }, env: {}, expected: { host: "localhost" } },
    {
      name: "idle timeout in seconds",
      flags: {},
      env: { HOOKD_IDLE_TIMEOUT: "2m" },
      expected: { idleTimeoutMs: 120_000 },
    },
  ];
  for (const row of PRECEDENCE) {
    test(row.name, () => expect(loadConfig(row.flags, row.env)).toMatchObject(row.expected));
  }

  test("HOOKD_ALLOW_NETS is parsed into networks", () => {
    const c = loadConfig({}, { HOOKD_ALLOW_NETS: "127.0.0.0/8, 10.1.2.3 ,::1/128" });
    expect(c.allowNets.map((n) => [n.family, n.prefix])).toEqual([
      [4, 8],
      [4, 32],
      [6, 128],
    ]);
  });

  // [source, setting, raw value, text the message must contain]
  const INVALID: ["env" | "flag", string, string, string][] = [
    ["flag", "--port", "abc", "integer from 0 to 65535"],
    ["flag", "--port", "65536", "integer from 0 to 65535"],
    ["flag", "--port", "-1", "integer from 0 to 65535"],
    ["flag", "--port", "80.5", "integer"],
    ["flag", "--port", "1e3", "integer"],
    ["env", "HOOKD_PORT", "http", "integer from 0 to 65535"],
    ["env", "HOOKD_PORT", "", "integer"],
    ["flag", "--db", "postgres://localhost/db", "file:PATH, :memory:, http://HOST:PORT or libsql://HOST"],
    ["env", "HOOKD_DB_URL", "", "a path (./data/hookd.db), file:PATH"],
    ["flag", "--db", "mysql:db", "file:PATH"],
    ["flag", "--host", "bad host", "IP address"],
    ["flag", "--host", "999.1.1.1", "IP address"],
    ["env", "HOOKD_HOST", "", "host name"],
    ["env", "HOOKD_HOST", "http://127.0.0.1", "host name"],
    ["env", "HOOKD_RETRY_BASE_MS", "0", "integer from 1 to 3600000"],
    ["env", "HOOKD_RETRY_BASE_MS", "fast", "integer"],
    ["env", "HOOKD_RETRY_SCHEDULE", "5s,soon,1h", '"soon" must be a duration'],
    ["env", "HOOKD_RETRY_SCHEDULE", "5s,8d", '"8d" must be at most 7d'],
    ["env", "HOOKD_RETRY_SCHEDULE", "", '"" must be a duration'],
    ["env", "HOOKD_LOG_LEVEL", "loud", "debug, info, warn, error"],
    ["env", "HOOKD_JIT", "turbo", "dfg, ftl"],
    ["env", "HOOKD_ALERT_AFTER", "0", "integer from 1"],
    ["env", "HOOKD_ALERT_BACKLOG", "soon", "duration"],
    ["env", "HOOKD_BACKUP_EVERY", "10s", "at least 60000 ms"],
    ["env", "HOOKD_BACKUP_KEEP", "0", "integer from 1"],
    ["env", "HOOKD_ALLOW_NETS", "10.0.0.0/33", "CIDR list"],
    ["env", "HOOKD_ALLOW_NETS", "banana", "CIDR list"],
    ["env", "HOOKD_JWT_TTL_SECONDS", "0", "integer from 1 to 86400"],
    ["env", "HOOKD_JWT_TTL_SECONDS", "86401", "integer from 1 to 86400"],
    ["env", "HOOKD_CONCURRENCY", "0", "integer from 1 to 10000"],
    ["env", "HOOKD_HOST_CONCURRENCY", "many", "integer from 1 to 10000"],
    ["env", "HOOKD_POLL_MS", "5", "integer from 10 to 60000"],
    ["env", "HOOKD_LEASE_MS", "999", "integer from 1000 to 3600000"],
    ["env", "HOOKD_SHUTDOWN_MS", "-5", "integer from 0 to 600000"],
    ["env", "HOOKD_IDLE_TIMEOUT", "1500ms", "whole seconds from 1s to 255s"],
    ["env", "HOOKD_IDLE_TIMEOUT", "0", "whole seconds from 1s to 255s"],
    ["env", "HOOKD_IDLE_TIMEOUT", "5m", "whole seconds from 1s to 255s"],
  ];
  for (const [source, setting, raw, accepted] of INVALID) {
    test(`${setting}=${JSON.stringify(raw)} is refused, naming the setting`, () => {
      const [flags, env] = source === "flag" ? [{ [setting]: raw }, {}] : [{}, { [setting]: raw }];
      let err: unknown;
      try {
        loadConfig(flags, env);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      expect(message).toContain(setting);
      expect(message).toContain(JSON.stringify(raw));
      expect(message).toContain(accepted);
      if (source === "flag") expect(message).toContain(SETTINGS.find((s) => "flag" in s && s.flag === setting)!.env);
    });
  }

  test("a valid flag hides an invalid env value", () => {
    expect(loadConfig({ "--port": "8091" }, { HOOKD_PORT: "abc" }).port).toBe(8091);
  });
});

describe("parseCommand", () => {
  const OK: [string[], Command][] = [
    [[], { name: "help" }],
    [["--help"], { name: "help" }],
    [["-h"], { name: "help" }],
    [["help"], { name: "help" }],
    [["version"], { name: "version" }],
    [["--version"], { name: "version" }],
    [["-v"], { name: "version" }],
    [["serve"], { name: "serve", flags: {} }],
    [["serve", "--port", "9000"], { name: "serve", flags: { "--port": "9000" } }],
    [
      ["serve", "--port=9000", "--db", ":memory:", "--host", "0.0.0.0"],
      { name: "serve", flags: { "--port": "9000", "--db": ":memory:", "--host": "0.0.0.0" } },
    ],
    [["serve", "--db=file:./x.db?mode=rwc"], { name: "serve", flags: { "--db": "file:./x.db?mode=rwc" } }],
    [["serve", "--port", "1", "--help"], { name: "help" }],
  ];
  for (const [argv, expected] of OK) {
    test(`hookd ${argv.join(" ")}`, () => expect(parseCommand(argv)).toEqual(expected));
  }

  const BAD: [string[], string][] = [
    [["start"], 'unknown command "start"'],
    [["serve", "--bogus", "1"], 'unknown option "--bogus"'],
    [["serve", "--admin-token", "x"], "accepted: --db, --port, --host"],
    [["serve", "--port"], "--port needs a value"],
    [["serve", "port", "1"], 'unknown option "port"'],
  ];
  for (const [argv, message] of BAD) {
    test(`hookd ${argv.join(" ")} is a usage error`, () => {
      expect(() => parseCommand(argv)).toThrow(CliError);
      expect(() => parseCommand(argv)).toThrow(message);
    });
  }

  test("--help lists every command and every setting", () => {
    const help = helpText();
    for (const word of ["hookd serve", "hookd version", "hookd --help", "--db", "--port", "--host"])
      expect(help).toContain(word);
    for (const s of SETTINGS) expect(help).toContain(s.env);
    expect(help).toContain("(default 8090)");
  });
});

describe("the real process", () => {
  /** run starts `bun src/main.ts …` with only the given HOOKD_* variables. */
  async function run(args: string[], env: Record<string, string> = {}) {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("HOOKD_")));
    const proc = Bun.spawn([BUN, "src/main.ts", ...args], {
      cwd: ROOT,
      env: { ...clean, ...env },
      stdout: "pipe",
      stderr: "pipe",
    });
    const timer = setTimeout(() => proc.kill(), 10_000);
    const [stdout, stderr, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    clearTimeout(timer);
    return { stdout, stderr, code };
  }

  const EXITS: {
    name: string;
    args: string[];
    env?: Record<string, string>;
    code: number;
    stderr?: string[];
    stdout?: string[];
  }[] = [
    {
      name: "serve --port abc",
      args: ["serve", "--port", "abc"],
      code: 2,
      stderr: ["hookd: --port (HOOKD_PORT)", '"abc" is not accepted', "integer from 0 to 65535"],
    },
    {
      name: "HOOKD_DB_URL=postgres://…",
      args: ["serve"],
      env: { HOOKD_DB_URL: "postgres://localhost/x" },
      code: 2,
      stderr: ["HOOKD_DB_URL", "file:PATH"],
    },
    {
      name: "HOOKD_ALLOW_NETS=banana",
      args: ["serve", "--db", ":memory:"],
      env: { HOOKD_ALLOW_NETS: "banana" },
      code: 2,
      stderr: ["HOOKD_ALLOW_NETS", "CIDR"],
    },
    { name: "an unknown option", args: ["serve", "--verbose"], code: 2, stderr: ['unknown option "--verbose"'] },
    { name: "an unknown command", args: ["run"], code: 2, stderr: ['unknown command "run"', "hookd --help"] },
    { name: "version", args: ["version"], code: 0, stdout: [`hookd ${VERSION}\n`] },
    { name: "--help", args: ["--help"], code: 0, stdout: ["Usage:", "HOOKD_DB_URL", "HOOKD_ADMIN_TOKEN"] },
  ];
  for (const row of EXITS) {
    test(`hookd ${row.name} exits ${row.code}`, async () => {
      const res = await run(row.args, row.env);
      expect(res.code).toBe(row.code);
      for (const s of row.stderr ?? []) expect(res.stderr).toContain(s);
      for (const s of row.stdout ?? []) expect(res.stdout).toContain(s);
      if (row.code === 2) {
        expect(res.stdout).toBe("");
        expect(res.stderr).not.toContain("    at "); // a message, not a stack trace
      }
    });
  }
});
