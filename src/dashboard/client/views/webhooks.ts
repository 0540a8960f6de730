// Standalone webhooks: their target, events and health; create, edit, pause, delete, trigger
// with a payload, and the signing secret. Deliveries arriving live refresh their health.
import { api, describe } from "../api";
import type { Webhook } from "../api_types";
import { actionButton, button, confirmAction, toast } from "../controls";
import { h, replace } from "../dom";
import { followDeliveries, liveBadge } from "../live";
import { hrefFor } from "../router";
import { singleFlight } from "../single_flight";
import { recentFailures, targetState } from "../targets";
import { healthCell } from "../targets_view";
import { alert, badge, card, empty, loading, pageHeader, table } from "../ui";
import type { Screen } from "../view";
import { secretDialog } from "./secret_dialog";
import { triggerDialog, webhookDialog } from "./webhook_form";

function webhookRow(w: Webhook, recent: number, reload: () => void, errors: HTMLElement): HTMLElement {
  const state = targetState({ active: w.active, paused: w.paused, health: w, recentFailures: recent });
  const path = `/api/webhooks/${encodeURIComponent(w.name)}`;
  const write = { small: true, needs: "webhooks:write" } as const;
  const setPaused = async (paused: boolean) => {
    await api("PATCH", path, { paused });
    toast(paused ? "Webhook paused: new deliveries are held" : "Webhook resumed: held deliveries are released");
    reload();
  };
  return h(
    "tr",
    { "data-webhook": w.name, "data-state": state },
    h("td", null, badge(state)),
    h(
      "td",
      null,
      h("strong", null, w.name),
      w.events?.length
        ? h(
            "div",
            { class: "rules" },
            w.events.map((e) => h("span", { class: "chip" }, e)),
          )
        : null,
    ),
    h(
      "td",
      { class: "col-url" },
      h("span", { class: "method" }, w.method),
      h("span", { class: "truncate url", title: w.url }, w.url),
    ),
    h("td", null, healthCell(w, recent)),
    h(
      "td",
      null,
      h(
        "div",
        { class: "row-actions" },
        button("Trigger", () => triggerDialog(w), {
          small: true,
          kind: "primary",
          disabled: !w.active,
          title: w.active ? "Send one delivery now" : "Inactive webhooks cannot be triggered",
          testid: "trigger",
          needs: `webhooks:trigger:${w.name}`,
        }),
        state === "disabled" || w.paused
          ? actionButton(
              state === "disabled" ? "Enable" : "Resume",
              "resume the webhook",
              () => setPaused(false),
              errors,
              {
                ...write,
                testid: "resume",
              },
            )
          : actionButton("Pause", "pause the webhook", () => setPaused(true), errors, { ...write, testid: "pause" }),
        button("Edit", () => webhookDialog(w, () => (toast("Webhook saved"), reload())), {
          ...write,
          testid: "edit-webhook",
        }),
        button("Secret", () => secretDialog(`webhook ${w.name}`, `${path}/secret`), {
          small: true,
          testid: "webhook-secret",
          needs: "secrets:read",
        }),
        button(
          "Delete",
          () =>
            confirmAction(
              "Delete webhook",
              `Delete webhook ${w.name}? Its held deliveries end as failed.`,
              "Delete",
              "delete the webhook",
              async () => (await api("DELETE", path), toast("Webhook deleted"), reload()),
              "danger",
            ),
          { ...write, kind: "ghost", testid: "delete-webhook" },
        ),
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
    const live = liveBadge();
    const create = () => webhookDialog(null, () => (toast("Webhook created"), reload()));
    const load = async () => {
      try {
        const [hooks, failures] = await Promise.all([
          api<Webhook[]>("GET", "/api/webhooks"),
          recentFailures().catch(() => new Map<string, number>()),
        ]);
        if (hooks.length === 0)
          return replace(
            list,
            card(
              null,
              empty(
                "No webhooks yet",
                "A webhook calls its URL when you trigger it (here or through the API), or on operational events.",
                button("New webhook", create, { kind: "primary", needs: "webhooks:write" }),
              ),
            ),
          );
        const errors = h("div");
        replace(
          list,
          card(null, [
            errors,
            table(
              "trigger-table",
              ["State", "Name", "Request", "Health", ""],
              hooks.map((w) => webhookRow(w, failures.get(`webhook:${w.name}`) ?? 0, reload, errors)),
            ),
          ]),
        );
      } catch (err) {
        replace(list, alert("error", describe(err, "load the webhooks")));
      }
    };
    const reload = singleFlight(load);
    reload();
    // A delivery of a webhook finishing changes its health.
    const stop = followDeliveries("WEBHOOK", reload, live);
    return {
      el: h(
        "div",
        { class: "screen" },
        pageHeader(
          "Webhooks",
          "Standalone webhooks, sent when you trigger them or on operational events.",
          live.el,
          button("New webhook", create, { kind: "primary", testid: "new-webhook", needs: "webhooks:write" }),
        ),
        list,
      ),
      destroy: stop,
    };
  },
};
