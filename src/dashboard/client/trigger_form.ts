// The trigger editor: every option of a trigger (docs/delivery.md, docs/control.md), with a live preview of the
// transform on a sample event of the collection. A new trigger is POSTed, an edited one PATCHed
// by id; masked header values left as they were keep their stored value.
import { api } from "./api";
import type { CollectionView, Field, TriggerSpec, TriggerView } from "./api_types";
import { actionButton, button, openDialog } from "./controls";
import { h } from "./dom";
import { checkbox, input, parseJsonObject, readForm, select, textarea } from "./forms";
import { maskedHeadersText, unmaskHeaders } from "./mask";
import { transformPreview } from "./transform_preview";
import { field } from "./ui";

const SAMPLE: Record<string, unknown> = {
  text: "text",
  email: "ada@example.com",
  number: 42,
  bool: true,
  date: "2026-01-02",
  datetime: "2026-01-02T10:00:00.000Z",
  url: "https://example.com",
  editor: "<p>text</p>",
  json: { key: "value" },
  relation: "RECORD_ID",
};

/** sampleEvent is the event a trigger of the collection sends, with a made-up record. */
export function sampleEvent(collection: Pick<CollectionView, "name" | "schema">, action: string): unknown {
  const sampleOf = (f: Field) =>
    f.type === "select" ? ((f.options.values as string[] | undefined)?.[0] ?? "") : SAMPLE[f.type];
  const record = Object.fromEntries([
    ["id", "sample_record_id"],
    ...collection.schema.map((f) => [f.name, sampleOf(f)]),
  ]);
  return {
    id: "sample_delivery_id",
    action,
    collection: collection.name,
    record,
    oldRecord: action === "update" ? record : null,
    timestamp: new Date().toISOString(),
  };
}

/** editTriggerDialog opens the editor for a trigger of `collection` (null adds one); `saved` runs after. */
export function editTriggerDialog(collection: CollectionView, trigger: TriggerView | null, saved: () => void): void {
  const t: Partial<TriggerView> = trigger ?? { action: "create", method: "POST", timeoutMs: 15000, active: true };
  const fields = collection.schema.map((f) => f.name);
  const transform = textarea("transform", t.transform, 4, { placeholder: '{ "text": record.title }' });
  const preview = h("div", { class: "preview", "data-testid": "transform-preview" });
  const action = select("action", ["create", "update", "delete"], t.action);
  const showPreview = transformPreview(transform, preview, () => sampleEvent(collection, action.value));
  action.addEventListener("change", showPreview);
  const form = h(
    "form",
    { class: "form-grid", onsubmit: (e: Event) => e.preventDefault() },
    field("Action", action),
    field("Method", select("method", ["POST", "PUT", "PATCH", "GET", "DELETE"], t.method)),
    h(
      "div",
      { class: "span-2" },
      field("URL", input("url", t.url, { type: "url", required: true, placeholder: "https://example.com/hook" })),
    ),
    h(
      "div",
      { class: "span-2" },
      field(
        "Condition",
        input("condition", t.condition, { placeholder: "status = 'paid' && total > 100" }),
        "Fire only for records matching this filter (the records filter syntax); empty fires on every write.",
      ),
    ),
    field(
      "Changed columns (update)",
      input("columns", t.columns?.join(", "), { placeholder: fields.slice(0, 2).join(", ") }),
      "Fire an update only when one of these fields changed.",
    ),
    field(
      "Ordering key",
      select("orderingKey", [["", "none (in parallel)"], ["id", "record id"], ...fields], t.orderingKey),
      "Deliveries with the same value go one at a time, in commit order.",
    ),
    h(
      "div",
      { class: "span-2" },
      field("Transform (JSONata)", transform, "Shapes each request from the event; empty sends the event as is."),
      preview,
    ),
    h(
      "div",
      { class: "span-2" },
      field(
        "Headers (JSON)",
        textarea("headers", maskedHeadersText(t.headers ?? {})),
        "Secret values are masked; leave them as they are to keep them.",
      ),
    ),
    field(
      "Retry schedule",
      input("retrySchedule", t.retrySchedule?.join(", "), { placeholder: "server default" }),
      "Wait before each retry (5s, 5m, 2h, …); empty uses the server's.",
    ),
    field(
      "Attempts in all",
      input("retryLimit", t.retryLimit, { type: "number", min: 1, max: 100 }),
      "Empty: the first and one per retry in the schedule.",
    ),
    field(
      "Rate limit (per second)",
      input("rateLimit", t.rateLimit, { type: "number", min: 0.01, step: "any" }),
      "Empty: no limit.",
    ),
    field("Max in flight", input("maxInFlight", t.maxInFlight, { type: "number", min: 1 }), "Empty: no limit."),
    field("Timeout (ms)", input("timeoutMs", t.timeoutMs, { type: "number", min: 1 })),
    h(
      "div",
      { class: "checks" },
      checkbox("jwtEnabled", "Send a signed JWT", t.jwtEnabled === true),
      checkbox("active", "Active (capture writes)", t.active !== false),
    ),
  );
  showPreview();
  const base = `/api/collections/${encodeURIComponent(collection.name)}/triggers`;
  openDialog(
    trigger ? `Edit ${collection.name} · ${t.action} trigger` : `New trigger on ${collection.name}`,
    form,
    (d) => [
      button("Cancel", () => d.close()),
      actionButton(
        "Save trigger",
        "save the trigger",
        async () => {
          const f = readForm(form);
          const headers = parseJsonObject<Record<string, string>>(f.text("headers"), "the headers");
          // Empty is null: on an edit that clears the option.
          const spec: Partial<Record<keyof TriggerSpec, unknown>> = {
            action: f.text("action"),
            method: f.text("method"),
            url: f.text("url"),
            headers: unmaskHeaders(headers, t.headers ?? {}),
            condition: f.optional("condition"),
            columns: f.list("columns"),
            orderingKey: f.optional("orderingKey"),
            transform: f.optional("transform"),
            retrySchedule: f.list("retrySchedule"),
            retryLimit: f.number("retryLimit"),
            rateLimit: f.number("rateLimit"),
            maxInFlight: f.number("maxInFlight"),
            timeoutMs: f.number("timeoutMs"),
            jwtEnabled: f.checked("jwtEnabled"),
            active: f.checked("active"),
          };
          if (trigger) await api("PATCH", `${base}/${encodeURIComponent(trigger.id)}`, spec);
          else await api("POST", base, spec);
          d.close();
          saved();
        },
        d.errors,
        { kind: "primary", testid: "save-trigger" },
      ),
    ],
  );
}
