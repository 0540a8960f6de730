// One trigger of a collection card: state, action, request and rules, health, and its actions
// (pause/resume/enable, edit, test, secret, delete).
import { api } from "../api";
import type { CollectionView, TriggerView } from "../api_types";
import { actionButton, button, confirmAction, toast } from "../controls";
import { h } from "../dom";
import { hrefFor } from "../router";
import { targetState } from "../targets";
import { healthCell } from "../targets_view";
import { editTriggerDialog } from "../trigger_form";
import { badge } from "../ui";
import { secretDialog } from "./secret_dialog";

/** Context is what a trigger row needs from its screen. */
export interface Context {
  reload(): void;
  failures: Map<string, number>;
  errors: HTMLElement;
}

/** triggerRules shows what narrows or shapes a trigger's deliveries, so a conditional trigger looks conditional. */
export function triggerRules(t: TriggerView): HTMLElement | null {
  const rules = [
    t.condition ? ["if", t.condition] : null,
    t.columns?.length ? ["when changed", t.columns.join(", ")] : null,
    t.orderingKey ? ["ordered by", t.orderingKey] : null,
    t.transform ? ["transform", t.transform] : null,
    t.rateLimit ? ["rate", `${t.rateLimit}/s`] : null,
    t.maxInFlight ? ["in flight", String(t.maxInFlight)] : null,
    t.retrySchedule ? ["retries", t.retrySchedule.join(" ")] : null,
  ].filter((r): r is [string, string] => r !== null);
  if (!rules.length) return null;
  return h(
    "div",
    { class: "rules", "data-testid": "trigger-rules" },
    rules.map(([k, v]) => h("span", { class: "chip", title: v }, h("span", { class: "muted" }, `${k} `), v)),
  );
}

export function triggerRow(c: CollectionView, t: TriggerView, ctx: Context): HTMLElement {
  const recent = ctx.failures.get(`trigger:${t.id}`) ?? 0;
  const state = targetState({ active: t.active, paused: t.paused, health: t, recentFailures: recent });
  const base = `/api/collections/${encodeURIComponent(c.name)}/triggers/${encodeURIComponent(t.id)}`;
  const write = { small: true, needs: "collections:write" } as const;
  const setPaused = async (paused: boolean) => {
    await api("PATCH", base, { paused });
    toast(paused ? "Trigger paused: new deliveries are held" : "Trigger resumed: held deliveries are released");
    ctx.reload();
  };
  const pauseButton =
    state === "disabled"
      ? actionButton("Enable", "enable the trigger", () => setPaused(false), ctx.errors, {
          ...write,
          kind: "primary",
          testid: "enable",
        })
      : t.paused
        ? actionButton("Resume", "resume the trigger", () => setPaused(false), ctx.errors, {
            ...write,
            kind: "primary",
            testid: "resume",
          })
        : actionButton("Pause", "pause the trigger", () => setPaused(true), ctx.errors, {
            ...write,
            title: "Hold new deliveries until resumed",
            testid: "pause",
          });
  return h(
    "tr",
    { "data-trigger": t.id, "data-state": state },
    h("td", null, badge(state)),
    h("td", null, h("strong", null, t.action)),
    h(
      "td",
      { class: "col-url" },
      h("span", { class: "method" }, t.method),
      h("span", { class: "truncate url", title: t.url }, t.url),
      triggerRules(t),
    ),
    h(
      "td",
      null,
      healthCell(t, recent),
      h(
        "a",
        { class: "small deliveries-link", href: hrefFor("logs", { collection: c.name, trigger: t.id }) },
        "Deliveries →",
      ),
    ),
    h(
      "td",
      null,
      h(
        "div",
        { class: "row-actions" },
        pauseButton,
        button("Edit", () => editTriggerDialog(c, t, () => (toast("Trigger saved"), ctx.reload())), {
          ...write,
          testid: "edit",
        }),
        actionButton(
          "Test",
          "send a test delivery",
          async () => {
            const res = await api<{ deliveryId: string }>("POST", `${base}/test`, {});
            toast("Test delivery queued");
            location.hash = hrefFor("logs", { collection: c.name, log: res.deliveryId });
          },
          ctx.errors,
          { ...write, title: "Send a sample payload to this URL now", testid: "send-test" },
        ),
        button("Secret", () => secretDialog(`the ${c.name} · ${t.action} trigger`, `${base}/secret`), {
          small: true,
          title: "Reveal, copy or rotate the signing secret",
          testid: "rotate",
          needs: "secrets:read",
        }),
        button(
          "Delete",
          () =>
            confirmAction(
              "Delete trigger",
              `Delete the ${t.action} trigger to ${t.url}? Its held deliveries end as failed.`,
              "Delete",
              "delete the trigger",
              async () => (await api("DELETE", base), toast("Trigger deleted"), ctx.reload()),
              "danger",
            ),
          { ...write, kind: "ghost", testid: "delete-trigger" },
        ),
      ),
    ),
  );
}
