// The trigger editor: a dialog that edits one trigger and saves the collection's whole trigger
// list (the API replaces the list; triggers keep their identity by id).
import { api } from "./api";
import { actionButton, button, openDialog } from "./controls";
import { h } from "./dom";
import { maskedHeadersText, unmaskHeaders } from "./mask";
import { field } from "./ui";

// Fields the server reports but does not take back on a write.
const READ_ONLY = [
  "health",
  "lastDeliveryAt",
  "lastStatus",
  "consecutiveFailures",
  "failingSince",
  "disabledAt",
  "disabledReason",
  "hasSecret",
];

/** triggerInput strips read-only fields from a trigger as listed, so it can be sent back unchanged. */
export function triggerInput(t: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(t).filter(([k]) => !READ_ONLY.includes(k)));
}

const select = (name: string, options: string[], value: string) =>
  h(
    "select",
    { name },
    options.map((o) => h("option", { value: o, selected: o === value }, o)),
  );

/** editTriggerDialog opens the editor for a trigger of `collection` (null adds a new one); `saved` gets the updated collection. */
export function editTriggerDialog(collection: any, trigger: any | null, saved: (collection: any) => void): void {
  const triggers: any[] = collection.options?.triggers ?? collection.triggers ?? [];
  const t = trigger ?? {
    action: "create",
    method: "POST",
    url: "",
    headers: {},
    timeoutMs: 15000,
    jwtEnabled: false,
    active: true,
  };
  const form = h(
    "form",
    { class: "form-grid", onsubmit: (e: Event) => e.preventDefault() },
    field("Action", select("action", ["create", "update", "delete"], t.action)),
    field("Method", select("method", ["POST", "PUT", "PATCH", "GET", "DELETE"], t.method ?? "POST")),
    h(
      "div",
      { class: "span-2" },
      field(
        "URL",
        h("input", { name: "url", type: "url", value: t.url, required: true, placeholder: "https://example.com/hook" }),
      ),
    ),
    h(
      "div",
      { class: "span-2" },
      field(
        "Headers (JSON)",
        h("textarea", { name: "headers", rows: 3, spellcheck: false }, maskedHeadersText(t.headers ?? {})),
        "Secret values are masked; leave them as they are to keep them.",
      ),
    ),
    field(
      "Retry schedule",
      h("input", {
        name: "retrySchedule",
        value: (t.retrySchedule ?? []).join(", "),
        placeholder: "server default (5s, 5m, 30m, 2h, 5h, 10h, 10h)",
      }),
      "Wait before each retry; empty uses the server's.",
    ),
    field(
      "Attempts in all",
      h("input", { name: "retryLimit", type: "number", min: 1, max: 100, value: t.retryLimit ?? "" }),
      "Empty: the first and one per retry in the schedule.",
    ),
    field("Timeout (ms)", h("input", { name: "timeoutMs", type: "number", min: 1, value: t.timeoutMs ?? 15000 })),
    field(
      "Rate limit (per second)",
      h("input", { name: "rateLimit", type: "number", min: 0.01, step: "any", value: t.rateLimit ?? "" }),
      "Empty: no limit. Deliveries over it wait, none fail.",
    ),
    field(
      "At most in flight",
      h("input", { name: "maxInFlight", type: "number", min: 1, max: 1000, value: t.maxInFlight ?? "" }),
      "Empty: no cap.",
    ),
    h(
      "div",
      { class: "span-2" },
      field(
        "Transform (JSONata)",
        h(
          "textarea",
          { name: "transform", rows: 3, spellcheck: false, placeholder: '{ "text": "New post: " & record.title }' },
          t.transform ?? "",
        ),
        "Its result is the body sent; empty sends the event as it is.",
      ),
    ),
    h(
      "label",
      { class: "check" },
      h("input", { type: "checkbox", name: "jwtEnabled", checked: t.jwtEnabled === true }),
      "Send a signed JWT",
    ),
    h(
      "label",
      { class: "check" },
      h("input", { type: "checkbox", name: "active", checked: t.active !== false }),
      "Active (capture writes)",
    ),
  );
  openDialog(
    trigger ? `Edit ${collection.name} · ${t.action} trigger` : `New trigger on ${collection.name}`,
    form,
    (d) => [
      button("Cancel", () => d.close()),
      actionButton(
        "Save trigger",
        "save the trigger",
        async () => {
          const data = new FormData(form);
          let headers: Record<string, string>;
          try {
            headers = JSON.parse(String(data.get("headers") || "{}"));
          } catch {
            throw new Error('the headers are not valid JSON (write an object such as {"X-Source": "hookd"})');
          }
          const edited = {
            ...triggerInput(t),
            action: data.get("action"),
            method: data.get("method"),
            url: String(data.get("url")).trim(),
            headers: unmaskHeaders(headers, t.headers ?? {}),
            retryLimit: data.get("retryLimit") ? Number(data.get("retryLimit")) : null,
            retrySchedule: String(data.get("retrySchedule") ?? "").trim() || null,
            timeoutMs: Number(data.get("timeoutMs")),
            rateLimit: data.get("rateLimit") ? Number(data.get("rateLimit")) : null,
            maxInFlight: data.get("maxInFlight") ? Number(data.get("maxInFlight")) : null,
            transform: String(data.get("transform") ?? "").trim() || null,
            jwtEnabled: data.get("jwtEnabled") !== null,
            active: data.get("active") !== null,
          };
          const list = trigger
            ? triggers.map((x) => (x === trigger ? edited : triggerInput(x)))
            : [...triggers.map(triggerInput), edited];
          const updated = await api("PATCH", `/api/collections/${encodeURIComponent(collection.name)}`, {
            triggers: list,
          });
          d.close();
          saved(updated);
        },
        d.errors,
        { kind: "primary", testid: "save-trigger" },
      ),
    ],
  );
}
