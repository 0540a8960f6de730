// Helpers for delivery tests: an app with a running dispatcher, and waiting for log rows.
import { startDispatcher, type Dispatcher } from "../../src/dispatch/dispatcher";
import type { Config } from "../../src/config";
import type { Deps } from "../../src/deps";
import type { Logger } from "../../src/runtime/logger";
import { makeTestApp, type TestApp } from "./test_app";

/** DispatchingApp is a test app whose dispatcher is running. */
export interface DispatchingApp extends TestApp {
  dispatcher: Dispatcher;
}

/** makeDispatchingApp builds a test app (logging to `log` when given) and starts its dispatcher. */
export async function makeDispatchingApp(overrides: Partial<Config> = {}, log?: Logger): Promise<DispatchingApp> {
  const t = await makeTestApp(overrides, { log });
  return { ...t, dispatcher: await startDispatcher(t.deps) };
}

/** LogRow is a _webhook_logs row as stored. */
export type LogRow = Record<string, any>;

/** waitForLogs polls _webhook_logs until `done` holds for the rows matching `where`, and answers them. */
export async function waitForLogs(
  deps: Deps,
  where: string,
  done: (rows: LogRow[]) => boolean,
  timeoutMs = 5_000,
): Promise<LogRow[]> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const rows = (await deps.db.execute(`SELECT * FROM _webhook_logs WHERE ${where} ORDER BY rowid`)).rows.map((r) => ({
      ...r,
    }));
    if (done(rows)) return rows;
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for _webhook_logs WHERE ${where}: ${JSON.stringify(rows.map((r) => [r.status, r.tries, r.error_msg]))}`,
      );
    await Bun.sleep(5);
  }
}

/** settled is true when there are rows and none is pending or processing. */
export const settled = (rows: LogRow[]) =>
  rows.length > 0 && rows.every((r) => r.status === "success" || r.status === "failed");

/** makeHookedCollection creates a collection with one text field `title` and the given triggers. */
export async function makeHookedCollection(
  t: TestApp,
  name: string,
  triggers: Record<string, unknown>[],
): Promise<void> {
  const res = await t.request("POST", "/api/collections", {
    name,
    fields: [{ name: "title", type: "text" }],
    triggers,
  });
  if (res.status !== 200) throw new Error(`creating ${name}: ${res.status} ${JSON.stringify(res.body)}`);
}
