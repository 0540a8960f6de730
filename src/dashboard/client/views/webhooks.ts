// Standalone webhooks: their target and health, and triggering one with a payload.
import { api, describe } from "../api";
import { actionButton, button, openDialog, toast } from "../controls";
import { h, replace } from "../dom";
import { prettyBody } from "../format";
import { hrefFor } from "../router";
import { targetState } from "../targets";
import { healthCell } from "../targets_view";
import { alert, badge, card, code, empty, field, loading, pageHeader } from "../ui";
import type { Screen } from "../view";

function triggerDialog(w: any): void {
  const payload = h(
    "textarea",
    { name: "payload", rows: 8, spellcheck: false, class: "mono" },
    w.body ? prettyBody(typeof w.body === "string" ? w.body : JSON.stringify(w.body)) : "{}",
  );
  openDialog(
    `Trigger ${w.name}`,
    field(
      "Payload (JSON)",
      payload,
      "Replaces the stored body for this one delivery. Leave empty to send the stored body.",
    ),
    (d) => [
      button("Cancel", () => d.close()),
      actionButton(
        "Send",
        "trigger the webhook",
        async () => {
          const text = payload.value.trim();
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch (err) {
            throw new Error(`the payload is not valid JSON (${(err as Error).message})`);
          }
          const res = await api<{ deliveryId: string }>(
            "POST",
            `/api/webhooks/${encodeURIComponent(w.name)}/trigger`,
            body,
          );
          d.close();
          toast("Delivery queued");
          location.hash = hrefFor("logs", { source: "webhook", webhook: w.name, log: res.deliveryId });
        },
        d.errors,
        { kind: "primary", testid: "send-webhook" },
      ),
    ],
  );
}

function webhookRow(w: any, reload: () => Promise<void>, errors: HTMLElement): HTMLElement {
  const state = targetState({ active: w.active, paused: w.paused, health: w });
  const setPaused = async (paused: boolean) => {
    await api("PATCH", `/api/webhooks/${encodeURIComponent(w.name)}`, { paused });
    toast(paused ? "Webhook paused: new deliveries are held" : "Webhook resumed: held deliveries are released");
    await reload();
  };
  const canPause = "paused" in w;
  return h(
    "tr",
    { "data-webhook": w.name },
    h("td", null, badge(state)),
    h("td", null, h("strong", null, w.name)),
    h(
      "td",
      { class: "col-url" },
      h("span", { class: "method" }, w.method),
      h("span", { class: "truncate url", title: w.url }, w.url),
    ),
    h("td", null, healthCell(w)),
    h(
      "td",
      null,
      h(
        "div",
        { class: "row-actions" },
        button("Trigger", () => triggerDialog(w), {
          small: true,
          kind: "primary",
          disabled: w.active === false,
          title:
            w.active === false ? "Inactive webhooks cannot be triggered; set active to true" : "Send one delivery now",
          testid: "trigger",
          needs: `webhooks:trigger:${w.name}`,
        }),
        state === "disabled" || w.paused
          ? actionButton(
              state === "disabled" ? "Enable" : "Resume",
              "resume the webhook",
              () => setPaused(false),
              errors,
              { small: true, testid: "resume", needs: "webhooks:write" },
            )
          : actionButton("Pause", "pause the webhook", () => setPaused(true), errors, {
              small: true,
              disabled: !canPause,
              title: canPause
                ? "Hold new deliveries until resumed"
                : "This server cannot pause webhooks (update hookd)",
              testid: "pause",
              needs: "webhooks:write",
            }),
        h(
          "a",
          { class: "btn btn-ghost btn-sm", href: hrefFor("logs", { source: "webhook", webhook: w.name }) },
          "Deliveries",
        ),
      ),
    ),
  );
}

/** webhooksScreen lists standalone webhooks. */
export const webhooksScreen: Screen = {
  id: "webhooks",
  needs: "webhooks:read",
  title: "Webhooks",
  mount() {
    const list = h("div", null, loading());
    const load = async () => {
      try {
        const hooks = await api<any[]>("GET", "/api/webhooks");
        if (hooks.length === 0)
          return replace(
            list,
            card(
              null,
              empty("No webhooks yet", [
                "Create one with POST /api/webhooks, for example ",
                code('{"name":"nightly-report","url":"https://example.com/report"}'),
                ", then trigger it here with a payload.",
              ]),
            ),
          );
        const errors = h("div");
        replace(
          list,
          card(null, [
            errors,
            h(
              "div",
              { class: "table-wrap" },
              h(
                "table",
                { class: "table" },
                h(
                  "thead",
                  null,
                  h(
                    "tr",
                    null,
                    ["State", "Name", "Request", "Health", ""].map((x) => h("th", null, x)),
                  ),
                ),
                h(
                  "tbody",
                  null,
                  hooks.map((w) => webhookRow(w, load, errors)),
                ),
              ),
            ),
          ]),
        );
      } catch (err) {
        replace(list, alert("error", describe(err, "load the webhooks")));
      }
    };
    void load();
    return {
      el: h(
        "div",
        { class: "screen" },
        pageHeader(
          "Webhooks",
          "Standalone webhooks, sent when you trigger them through the API or here.",
          button("Refresh", () => void load(), { small: true }),
        ),
        list,
      ),
    };
  },
};
