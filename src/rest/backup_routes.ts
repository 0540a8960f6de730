// REST: backups of the database file at /api/backups (docs/operating.md). A backup holds every secret
// hookd keeps (unless HOOKD_ENCRYPTION_KEY is set), so these routes need `admin`.
import { basename } from "node:path";
import { z } from "zod";
import { backupFile, createBackup, deleteBackup, listBackups } from "../backups/backup_store";
import type { Deps } from "../deps";
import { logConfigChange } from "../auth/config_changes";
import { json } from "./respond";
import type { ApiRouter, RouteSpec } from "./route_spec";

const backupAnswer = z.object({ name: z.string(), bytes: z.number(), created: z.string() });

const spec = (summary: string, more: Partial<RouteSpec> = {}): RouteSpec => ({
  summary,
  tag: "backups",
  access: "admin",
  ...more,
});

/** addBackupRoutes registers the backup endpoints. */
export function addBackupRoutes(router: ApiRouter, deps: Deps): void {
  router
    .on("GET", "/api/backups", spec("List backups, newest first", { answer: z.array(backupAnswer) }), async () =>
      json(listBackups(deps)),
    )
    .on(
      "POST",
      "/api/backups",
      spec("Write a consistent backup of the database file now, while hookd serves", { answer: backupAnswer }),
      async () => {
        const started = performance.now();
        const backup = await createBackup(deps);
        logConfigChange(deps, "backup written", { ...backup, ms: Math.round(performance.now() - started) });
        return json(backup);
      },
    )
    .on(
      "GET",
      "/api/backups/:name",
      spec("Download a backup (a SQLite database file)", { answerType: "application/vnd.sqlite3" }),
      async ({ params }) => {
        const path = backupFile(deps, params.name!);
        return new Response(Bun.file(path), {
          headers: {
            "content-type": "application/vnd.sqlite3",
            "content-disposition": `attachment; filename="${basename(path)}"`,
          },
        });
      },
    )
    .on("DELETE", "/api/backups/:name", spec("Delete a backup"), async ({ params }) => {
      deleteBackup(deps, params.name!);
      logConfigChange(deps, "backup deleted", { name: params.name });
      return new Response(null, { status: 204 });
    });
}
