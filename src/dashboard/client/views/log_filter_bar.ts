// The delivery log's filter form. Every change goes into the URL, which drives the listing.
import { button } from "../controls";
import { h } from "../dom";
import { FILTER_KEYS, STATUSES, type FilterKey, type LogFilter } from "../log_filters";

// The first row; the rest appear with "More filters" (or when one of them is set).
const PRIMARY: FilterKey[] = ["status", "source", "collection", "httpStatus", "since", "until"];
const LABELS: Record<string, string> = {
  status: "Status",
  source: "Source",
  collection: "Collection",
  trigger: "Trigger id",
  webhook: "Webhook",
  cronJob: "Cron job",
  recordId: "Record id",
  httpStatus: "HTTP status",
  since: "Since",
  until: "Until",
};

/** toLocalInput turns an ISO time into the value of a datetime-local input. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function control(key: string, value: string | undefined): HTMLElement {
  const options = (list: readonly string[]) => [
    h("option", { value: "" }, "any"),
    list.map((o) => h("option", { value: o, selected: o === value }, o)),
  ];
  if (key === "status") return h("select", { name: key }, options(STATUSES));
  if (key === "source") return h("select", { name: key }, options(["trigger", "webhook", "cron"]));
  if (key === "since" || key === "until")
    return h("input", { name: key, type: "datetime-local", value: toLocalInput(value) });
  return h("input", {
    name: key,
    type: key === "httpStatus" ? "number" : "text",
    value: value ?? "",
    placeholder: "any",
    autocomplete: "off",
  });
}

/** filterBar renders the filters; `apply` gets the new filter whenever one changes. */
export function filterBar(filter: LogFilter, apply: (f: LogFilter) => void): HTMLElement {
  const form = h("form", { class: "filters", "aria-label": "Filters" });
  const read = (): LogFilter => {
    const out: LogFilter = {};
    for (const key of FILTER_KEYS) {
      const el = form.elements.namedItem(key) as HTMLInputElement | null;
      const v = el?.value.trim();
      if (!v) continue;
      out[key] = key === "since" || key === "until" ? new Date(v).toISOString() : v;
    }
    return out;
  };
  const more = (Object.keys(filter) as FilterKey[]).some((k) => !PRIMARY.includes(k));
  const ordered = [...PRIMARY, ...FILTER_KEYS.filter((k) => !PRIMARY.includes(k))];
  const toggle = button(
    more ? "Fewer filters" : "More filters",
    () => {
      const shown = form.classList.toggle("show-more");
      toggle.textContent = shown ? "Fewer filters" : "More filters";
    },
    { kind: "ghost", small: true },
  );
  form.classList.toggle("show-more", more);
  form.append(
    ...ordered.map((key) =>
      h(
        "label",
        { class: `filter${PRIMARY.includes(key) ? "" : " filter-more"}` },
        h("span", null, LABELS[key]),
        control(key, filter[key]),
      ),
    ),
    h(
      "div",
      { class: "filter filter-actions" },
      toggle,
      button("Clear", () => apply({}), { kind: "ghost", small: true, disabled: Object.keys(filter).length === 0 }),
    ),
  );
  form.addEventListener("change", () => apply(read()));
  form.addEventListener("submit", (e) => (e.preventDefault(), apply(read())));
  const count = Object.keys(filter).length;
  return h(
    "details",
    { class: "filters-box", open: count > 0 || window.innerWidth > 720 },
    h("summary", null, "Filters", count ? h("span", { class: "count" }, String(count)) : null),
    form,
  );
}
