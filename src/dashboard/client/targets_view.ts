// How a target's health reads on screen, shared by the collections, webhooks and cron screens.
import type { TargetHealth } from "./api_types";
import { h } from "./dom";
import { ago } from "./format";

/** healthCell sums up a target's recent deliveries in a few words. */
export function healthCell(health: TargetHealth, recentFailures = 0): HTMLElement {
  if (health.disabledAt)
    return h("span", { class: "small bad-text" }, health.disabledReason ?? `disabled ${ago(health.disabledAt)}`);
  if (health.consecutiveFailures > 0)
    return h(
      "span",
      { class: "small bad-text" },
      `${health.consecutiveFailures} failed in a row since ${ago(health.failingSince)}`,
    );
  const last = health.lastDeliveryAt ? `last ${health.lastStatus ?? "delivery"} ${ago(health.lastDeliveryAt)}` : null;
  if (recentFailures > 0)
    return h("span", { class: "small warn-text" }, `${recentFailures} failed in the last 24 h; ${last ?? ""}`);
  if (last) return h("span", { class: "small" }, last);
  return h("span", { class: "muted small" }, "no deliveries yet");
}
