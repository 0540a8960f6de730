// GraphQL: backups of the database file (docs/operating.md), as /api/backups; downloading is REST only
// (GET /api/backups/:name answers the file), so a Backup names its downloadUrl.
import { type Backup, createBackup, deleteBackup, listBackups } from "../backups/backup_store";
import { logConfigChange } from "../auth/config_changes";
import { builder } from "./builder";

const BackupRef = builder.objectRef<Backup>("Backup").implement({
  description: "A consistent copy of the database file in HOOKD_BACKUP_DIR.",
  fields: (t) => ({
    name: t.exposeString("name"),
    bytes: t.exposeFloat("bytes"),
    created: t.exposeString("created"),
    downloadUrl: t.string({
      description: "GET it with the admin token for the file",
      resolve: (b) => `/api/backups/${encodeURIComponent(b.name)}`,
    }),
  }),
});

builder.queryFields((t) => ({
  backups: t.field({
    authScopes: { scope: "admin" },
    type: [BackupRef],
    description: "Backups, newest first",
    resolve: (_r, _a, ctx) => listBackups(ctx),
  }),
}));

builder.mutationFields((t) => ({
  createBackup: t.field({
    authScopes: { scope: "admin" },
    type: BackupRef,
    description: "Write a consistent backup of the database file now, while hookd serves",
    resolve: async (_r, _a, ctx) => {
      const backup = await createBackup(ctx);
      logConfigChange(ctx, "backup written", { ...backup });
      return backup;
    },
  }),
  deleteBackup: t.field({
    authScopes: { scope: "admin" },
    type: "Boolean",
    args: { name: t.arg.string({ required: true }) },
    resolve: (_r, { name }, ctx) => {
      deleteBackup(ctx, name);
      logConfigChange(ctx, "backup deleted", { name });
      return true;
    },
  }),
}));
