// One record as a form built from its collection's fields: each type gets its control, and the
// values go back in the API's types (numbers, booleans, JSON, ISO times).
import { api } from "../api";
import type { CollectionView, Field } from "../api_types";
import { actionButton, button, confirmAction, openDialog } from "../controls";
import { h } from "../dom";
import { input, select, textarea } from "../forms";
import { field } from "../ui";

/** RecordData is a record as the API answers it. */
export type RecordData = Record<string, unknown>;

const INPUT_TYPE: Partial<Record<Field["type"], string>> = {
  email: "email",
  url: "url",
  number: "number",
  date: "date",
};

function control(f: Field, value: unknown): HTMLElement {
  const text = value === null || value === undefined ? "" : String(value);
  switch (f.type) {
    case "bool":
      return h("input", { type: "checkbox", name: f.name, checked: value === true });
    case "select": {
      const values = (f.options.values as string[] | undefined) ?? [];
      return select(f.name, f.required ? values : [["", "—"], ...values], text);
    }
    case "json":
      return textarea(f.name, value === undefined || value === null ? "" : JSON.stringify(value, null, 2), 4);
    case "editor":
      return textarea(f.name, text, 4);
    case "datetime":
      return input(f.name, text, { placeholder: "2026-01-02T10:00:00Z" });
    default:
      return input(f.name, text, { type: INPUT_TYPE[f.type] ?? "text", step: f.type === "number" ? "any" : undefined });
  }
}

function readValue(f: Field, form: HTMLFormElement): unknown {
  const el = form.querySelector<HTMLInputElement>(`[name="${CSS.escape(f.name)}"]`)!;
  if (f.type === "bool") return el.checked;
  const text = el.value.trim();
  if (text === "") return null;
  if (f.type === "number") return Number(text);
  if (f.type === "json") {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new Error(`${f.name} is not valid JSON (${(err as Error).message})`);
    }
  }
  return text;
}

/** recordDialog creates a record (existing null) or edits one; `saved` runs after. */
export function recordDialog(collection: CollectionView, existing: RecordData | null, saved: () => void): void {
  const form = h(
    "form",
    { class: "form-grid", onsubmit: (e: Event) => e.preventDefault() },
    collection.schema.map((f) =>
      h(
        "div",
        { class: f.type === "json" || f.type === "editor" ? "span-2" : "" },
        field(`${f.name}${f.required ? " *" : ""}`, control(f, existing?.[f.name]), f.type),
      ),
    ),
  );
  const base = `/api/collections/${encodeURIComponent(collection.name)}/records`;
  openDialog(existing ? `Edit record ${String(existing.id)}` : `New ${collection.name} record`, form, (d) => [
    existing
      ? button(
          "Delete",
          () =>
            confirmAction(
              "Delete record",
              `Delete record ${String(existing.id)}? Delete triggers fire.`,
              "Delete",
              "delete the record",
              async () => (
                await api("DELETE", `${base}/${encodeURIComponent(String(existing.id))}`), d.close(), saved()
              ),
              "danger",
            ),
          { kind: "ghost", testid: "delete-record", needs: `records:write:${collection.name}` },
        )
      : null,
    button("Cancel", () => d.close()),
    actionButton(
      existing ? "Save record" : "Create record",
      existing ? "save the record" : "create the record",
      async () => {
        const data = Object.fromEntries(collection.schema.map((f) => [f.name, readValue(f, form)]));
        if (existing) await api("PATCH", `${base}/${encodeURIComponent(String(existing.id))}`, data);
        else await api("POST", base, Object.fromEntries(Object.entries(data).filter(([, v]) => v !== null)));
        d.close();
        saved();
      },
      d.errors,
      { kind: "primary", testid: "save-record" },
    ),
  ]);
}
