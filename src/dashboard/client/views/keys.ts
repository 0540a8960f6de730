import { api, describe } from "../api";
import type { ApiKey } from "../api_types";
import { button, confirmAction, toast } from "../controls";
import { h, replace } from "../dom";
import { ago, dateTime } from "../format";
import { singleFlight } from "../single_flight";
import { alert, card, code, empty, loading, pageHeader, table } from "../ui";
import type { Screen } from "../view";
import { newKeyDialog } from "./key_form";

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
            table(
              "trigger-table",
              ["Name", "Scopes", "Last used", "Expires", ""],
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
                            await api("DELETE", `/api/keys/${encodeURIComponent(k.id)}`), toast("Key revoked"), reload()
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
