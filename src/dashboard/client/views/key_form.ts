// Making an API key: its name, expiry and scopes (narrowed ones too); the key is shown once.
import type { Scope } from "../api_types";
import { api } from "../api";
import type { NewApiKey } from "../api_types";
import { actionButton, button, openDialog, toast } from "../controls";
import { h } from "../dom";
import { checkbox, input, readForm } from "../forms";
import { alert, field } from "../ui";

/** SCOPE_HELP names every scope (a missing one is a type error) with what it allows. */
const SCOPE_HELP: Record<Scope, string> = {
  admin: "everything",
  "collections:read": "read collections and triggers",
  "collections:write": "change collections and triggers",
  "records:read": "read records",
  "records:write": "write records",
  "logs:read": "read the delivery log",
  "logs:write": "retry, resend and cancel deliveries",
  "cron:read": "read cron jobs",
  "cron:write": "change HTTP cron jobs",
  "cron:run": "run cron jobs now",
  "webhooks:read": "read webhooks",
  "webhooks:write": "change webhooks",
  "webhooks:trigger": "trigger webhooks",
  "secrets:read": "read and rotate signing secrets",
  "keys:write": "manage API keys",
  "metrics:read": "read /metrics",
};

function showOnce(key: NewApiKey): void {
  const shown = h("input", {
    class: "mono",
    readonly: true,
    value: key.key,
    "aria-label": "New key",
    "data-testid": "new-key",
  });
  openDialog(
    `Key ${key.name}`,
    h("div", { class: "stack" }, alert("ok", "Copy the key now: it is not shown again."), field("API key", shown)),
    (d) => [
      button("Copy", () => void navigator.clipboard?.writeText(key.key).then(() => toast("Key copied"))),
      button("Done", () => d.close(), { kind: "primary", testid: "key-done" }),
    ],
  );
  shown.select();
}

export function newKeyDialog(created: () => void): void {
  const form = h(
    "form",
    { class: "form-grid", onsubmit: (e: Event) => e.preventDefault() },
    field("Name", input("name", "", { required: true, placeholder: "ci-deploy" })),
    field("Expires", input("expiresAt", "", { type: "date" }), "Empty: never."),
    h(
      "fieldset",
      { class: "span-2 events" },
      h("legend", { class: "field-label" }, "Scopes"),
      (Object.entries(SCOPE_HELP) as [Scope, string][]).map(([scope, help]) =>
        h("span", { title: help }, checkbox(`scope:${scope}`, scope, false)),
      ),
    ),
    h(
      "div",
      { class: "span-2" },
      field(
        "Narrowed scopes",
        input("narrowed", "", { placeholder: "records:write:orders, webhooks:trigger:deploy" }),
        "Scopes for one collection or webhook, comma-separated.",
      ),
    ),
  );
  openDialog("New API key", form, (d) => [
    button("Cancel", () => d.close()),
    actionButton(
      "Create key",
      "create the key",
      async () => {
        const f = readForm(form);
        const scopes = [
          ...(Object.keys(SCOPE_HELP) as Scope[]).filter((s) => f.checked(`scope:${s}`)),
          ...(f.list("narrowed") ?? []),
        ];
        const expires = f.optional("expiresAt");
        const key = await api<NewApiKey>("POST", "/api/keys", {
          name: f.text("name"),
          scopes,
          expiresAt: expires ? new Date(`${expires}T00:00:00`).toISOString() : null,
        });
        d.close();
        created();
        showOnce(key);
      },
      d.errors,
      { kind: "primary", testid: "create-key" },
    ),
  ]);
}
