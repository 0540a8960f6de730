// API keys (SPEC §15): list, create with scopes (the key is shown once), revoke.
import type { Scope } from "../../../auth/scopes";
import { api, describe } from "../api";
import type { ApiKey, NewApiKey } from "../api_types";
import { actionButton, button, confirmAction, openDialog, toast } from "../controls";
import { h, replace } from "../dom";
import { ago, dateTime } from "../format";
import { checkbox, input, readForm } from "../forms";
import { singleFlight } from "../single_flight";
import { alert, card, code, empty, field, loading, pageHeader } from "../ui";
import type { Screen } from "../view";

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

function newKeyDialog(created: () => void): void {
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

/** keysScreen lists API keys. */
export const keysScreen: Screen = {
  id: "keys",
  needs: "keys:write",
  title: "API keys",
  nav: "Keys",
  mount() {
    const list = h("div", null, loading());
    const load = async () => {
      try {
        const keys = await api<ApiKey[]>("GET", "/api/keys");
        if (keys.length === 0)
          return replace(
            list,
            card(null, empty("No API keys yet", "A key holds only the scopes it is given; the admin token holds all.")),
          );
        replace(
          list,
          card(
            null,
            h(
              "div",
              { class: "table-wrap" },
              h(
                "table",
                { class: "table trigger-table" },
                h(
                  "thead",
                  null,
                  h(
                    "tr",
                    null,
                    ["Name", "Scopes", "Last used", "Expires", ""].map((x) => h("th", null, x)),
                  ),
                ),
                h(
                  "tbody",
                  null,
                  keys.map((k) =>
                    h(
                      "tr",
                      { "data-key": k.name },
                      h(
                        "td",
                        null,
                        h("strong", null, k.name),
                        h("div", { class: "muted small" }, `created ${dateTime(k.created)}`),
                      ),
                      h(
                        "td",
                        null,
                        h(
                          "div",
                          { class: "rules" },
                          k.scopes.map((s) => code(s, "chip")),
                        ),
                      ),
                      h("td", { class: "small" }, `used ${k.lastUsed ? ago(k.lastUsed) : "never"}`),
                      h("td", { class: "small" }, `expires ${k.expiresAt ? dateTime(k.expiresAt) : "never"}`),
                      h(
                        "td",
                        null,
                        button(
                          "Revoke",
                          () =>
                            confirmAction(
                              "Revoke key",
                              `Revoke ${k.name}? Calls with it are refused from now on.`,
                              "Revoke",
                              "revoke the key",
                              async () => (
                                await api("DELETE", `/api/keys/${encodeURIComponent(k.id)}`),
                                toast("Key revoked"),
                                reload()
                              ),
                              "danger",
                            ),
                          { small: true, kind: "danger", testid: "revoke-key" },
                        ),
                      ),
                    ),
                  ),
                ),
              ),
            ),
          ),
        );
      } catch (err) {
        replace(list, alert("error", describe(err, "load the API keys")));
      }
    };
    const reload = singleFlight(load);
    reload();
    return {
      el: h(
        "div",
        { class: "screen" },
        pageHeader(
          "API keys",
          "Keys for programs, each with the scopes it needs. A key is shown once, when it is made.",
          button("New key", () => newKeyDialog(reload), { kind: "primary", testid: "new-key-button" }),
        ),
        list,
      ),
    };
  },
};
