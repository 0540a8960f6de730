// Creating and editing a cron job: name, schedule and zone, SQL or an HTTP call with its
// request settings (the HTTP part is shown only for an HTTP job).
import { api } from "../api";
import type { CronJob } from "../api_types";
import { actionButton, button, openDialog } from "../controls";
import { h } from "../dom";
import { checkbox, input, readForm, select, textarea } from "../forms";
import { readRequest, requestFields } from "../request_form";
import { field } from "../ui";

/** cronDialog creates a job (existing null) or edits one; `saved` runs after. */
export function cronDialog(existing: CronJob | null, saved: () => void): void {
  const type = select(
    "type",
    [
      ["sql", "SQL"],
      ["http", "HTTP call"],
    ],
    existing?.type ?? "sql",
  );
  const sqlPart = h(
    "div",
    { class: "span-2" },
    field(
      "SQL",
      textarea("sql", existing?.sql, 4, { placeholder: "DELETE FROM sessions WHERE expires < datetime('now')" }),
    ),
  );
  const httpPart = h(
    "div",
    { class: "span-2 form-grid nested" },
    h(
      "div",
      { class: "span-2" },
      field("URL", input("url", existing?.url, { type: "url", placeholder: "https://example.com/tick" })),
    ),
    requestFields(existing ?? {}),
  );
  const follow = () => ((sqlPart.hidden = type.value !== "sql"), (httpPart.hidden = type.value !== "http"));
  type.addEventListener("change", follow);
  follow();
  const form = h(
    "form",
    { class: "form-grid", onsubmit: (e: Event) => e.preventDefault() },
    field(
      "Name",
      input("name", existing?.name, { required: true, readonly: existing !== null, placeholder: "cleanup" }),
    ),
    field("Type", type),
    field(
      "Schedule",
      input("schedule", existing?.schedule, { required: true, placeholder: "*/5 * * * *" }),
      "A cron pattern (5 or 6 parts).",
    ),
    field(
      "Time zone",
      input("timezone", existing?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone, { placeholder: "UTC" }),
    ),
    sqlPart,
    httpPart,
    h("div", { class: "checks" }, checkbox("active", "Active (runs on schedule)", existing?.active ?? true)),
  );
  openDialog(existing ? `Edit ${existing.name}` : "New cron job", form, (d) => [
    button("Cancel", () => d.close()),
    actionButton(
      "Save job",
      "save the cron job",
      async () => {
        const f = readForm(form);
        const kind = f.text("type");
        const body = {
          ...(existing ? {} : { name: f.text("name") }),
          schedule: f.text("schedule"),
          timezone: f.optional("timezone"),
          type: kind,
          active: f.checked("active"),
          ...(kind === "sql" ? { sql: f.text("sql") } : { url: f.text("url"), ...readRequest(f, existing ?? {}) }),
        };
        if (existing) await api("PATCH", `/api/cron/${encodeURIComponent(existing.name)}`, body);
        else await api("POST", "/api/cron", body);
        d.close();
        saved();
      },
      d.errors,
      { kind: "primary", testid: "save-job" },
    ),
  ]);
}
