// How a target's health reads on screen, shared by the collections and webhooks screens.
import { h } from "./dom";
import { ago } from "./format";
import { healthOf } from "./targets";

/** healthCell sums up a target's recent deliveries in a few words. */
export function healthCell(t: any): HTMLElement {
  const health = healthOf(t);
  if (!health) return h("span", { class: "muted small" }, "not reported");
  if (health.disabledAt)
    return h("span", { class: "small bad-text" }, health.disabledReason ?? `disabled ${ago(health.disabledAt)}`);
  if ((health.consecutiveFailures ?? 0) > 0)
    return h(
      "span",
      { class: "small bad-text" },
      `${health.consecutiveFailures} failed in a row since ${ago(health.failingSince)}`,
    );
  if (health.lastDeliveryAt)
    return h("span", { class: "small" }, `last ${health.lastStatus ?? "delivery"} ${ago(health.lastDeliveryAt)}`);
  return h("span", { class: "muted small" }, "no deliveries yet");
}
