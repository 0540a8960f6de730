// Backups of the database file (docs/operating.md): make one now, list them, download one.
import { api, authHeaders, describe } from "../api";
import type { Backup } from "../api_types";
import { actionButton, button, toast } from "../controls";
import { h, replace } from "../dom";
import { ago, dateTime } from "../format";
import { singleFlight } from "../single_flight";
import { alert, card, empty, loading, pageHeader } from "../ui";
import type { Screen } from "../view";

const size = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1048576
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : `${(bytes / 1048576).toFixed(1)} MiB`;

/** download fetches a backup with the token in the header (a link cannot carry it) and saves it. */
async function download(b: Backup): Promise<void> {
  const res = await fetch(`/api/backups/${encodeURIComponent(b.name)}`, { headers: authHeaders() });
  if (!res.ok) throw new Error(`hookd answered ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = h("a", { href: url, download: b.name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** backupsScreen lists backups. */
export const backupsScreen: Screen = {
  id: "backups",
  needs: "admin",
  title: "Backups",
  mount() {
    const list = h("div", null, loading());
    const errors = h("div");
    const load = async () => {
      try {
        const backups = await api<Backup[]>("GET", "/api/backups");
        if (backups.length === 0)
          return replace(
            list,
            card(null, empty("No backups yet", "Make one now, or set HOOKD_BACKUP_EVERY for scheduled backups.")),
          );
        replace(
          list,
          card(
            null,
            h(
              "table",
              { class: "table" },
              h(
                "thead",
                null,
                h(
                  "tr",
                  null,
                  ["Name", "Size", "Made", ""].map((x) => h("th", null, x)),
                ),
              ),
              h(
                "tbody",
                null,
                backups.map((b) =>
                  h(
                    "tr",
                    { "data-backup": b.name },
                    h("td", { class: "mono small break" }, b.name),
                    h("td", { class: "small" }, size(b.bytes)),
                    h("td", { class: "small", title: dateTime(b.created) }, ago(b.created)),
                    h(
                      "td",
                      null,
                      actionButton("Download", "download the backup", () => download(b), errors, {
                        small: true,
                        testid: "download-backup",
                      }),
                    ),
                  ),
                ),
              ),
            ),
          ),
        );
      } catch (err) {
        replace(list, alert("error", describe(err, "list the backups")));
      }
    };
    const reload = singleFlight(load);
    reload();
    const make = actionButton(
      "Back up now",
      "make a backup",
      async () => (await api<Backup>("POST", "/api/backups"), toast("Backup written"), reload()),
      errors,
      { kind: "primary", testid: "make-backup" },
    );
    return {
      el: h(
        "div",
        { class: "screen" },
        pageHeader(
          "Backups",
          "Consistent copies of the database file, made while hookd serves.",
          make,
          button("Refresh", reload, { small: true }),
        ),
        errors,
        list,
      ),
    };
  },
};
