// Creating and editing a standalone webhook: name, URL, the operational events it receives, and
// its request settings; triggering one with a payload.
import { api } from "../api";
import type { Webhook, WebhookSpec } from "../api_types";
import { actionButton, button, openDialog, toast } from "../controls";
import { h } from "../dom";
import { prettyBody } from "../format";
import { checkbox, input, readForm } from "../forms";
import { readRequest, requestFields } from "../request_form";
import { hrefFor } from "../router";
import { field } from "../ui";

type OpsEvent = NonNullable<WebhookSpec["events"]>[number];

/** OPS_EVENTS names every operational event (a missing one is a type error) and says when it is sent. */
const OPS_EVENTS: Record<OpsEvent, string> = {
  "target.failing": "a target starts failing",
  "target.disabled": "a target is disabled",
  "target.enabled": "a target is enabled again",
  "delivery.exhausted": "a delivery used every attempt",
  "backlog.stale": "the backlog grows old",
  "cron.failed": "a cron run failed",
};

/** webhookDialog creates a webhook (existing null) or edits one; `saved` runs after. */
export function webhookDialog(existing: Webhook | null, saved: () => void): void {
  const form = h(
    "form",
    { class: "form-grid", onsubmit: (e: Event) => e.preventDefault() },
    field(
      "Name",
      input("name", existing?.name, { required: true, readonly: existing !== null, placeholder: "nightly-report" }),
    ),
    field("URL", input("url", existing?.url, { type: "url", required: true, placeholder: "https://example.com/hook" })),
    h(
      "fieldset",
      { class: "span-2 events" },
      h("legend", { class: "field-label" }, "Operational events it receives"),
      (Object.entries(OPS_EVENTS) as [OpsEvent, string][]).map(([event, when]) =>
        h(
          "span",
          { title: `Sent when ${when}` },
          checkbox(`event:${event}`, event, existing?.events?.includes(event) ?? false),
        ),
      ),
    ),
    requestFields(existing ?? {}),
    h("div", { class: "checks" }, checkbox("active", "Active", existing?.active ?? true)),
  );
  openDialog(existing ? `Edit webhook ${existing.name}` : "New webhook", form, (d) => [
    button("Cancel", () => d.close()),
    actionButton(
      "Save webhook",
      "save the webhook",
      async () => {
        const f = readForm(form);
        const events = (Object.keys(OPS_EVENTS) as OpsEvent[]).filter((e) => f.checked(`event:${e}`));
        const body = {
          ...(existing ? {} : { name: f.text("name") }),
          url: f.text("url"),
          events: events.length ? events : null,
          active: f.checked("active"),
          ...readRequest(f, existing ?? {}),
        };
        if (existing) await api("PATCH", `/api/webhooks/${encodeURIComponent(existing.name)}`, body);
        else await api("POST", "/api/webhooks", body);
        d.close();
        saved();
      },
      d.errors,
      { kind: "primary", testid: "save-webhook" },
    ),
  ]);
}

/** triggerDialog sends one delivery of the webhook with a payload, then opens it in the log. */
export function triggerDialog(w: Webhook): void {
  const payload = h(
    "textarea",
    { name: "payload", rows: 8, spellcheck: false, class: "mono" },
    w.body ? prettyBody(w.body) : "{}",
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
