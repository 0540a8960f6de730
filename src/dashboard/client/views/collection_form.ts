// Creating and editing a collection: its name and one row per field (name, type, required, the
// values of a select). Fields keep their id, so renaming one keeps its data; a new collection
// may get a first trigger.
// The server's own list of field types: a module of plain data, so bundling it brings nothing else.
import { FIELD_TYPES } from "../../../collections/collection_types";
import { api } from "../api";
import type { CollectionView, Field, FieldType } from "../api_types";
import { actionButton, button, openDialog } from "../controls";
import { h } from "../dom";
import { input, readForm, select } from "../forms";
import { field } from "../ui";

/** FieldDraft is a field as the editor sends it: no id for a new one. */
type FieldDraft = Omit<Field, "id"> & { id?: string };

function fieldRow(f: Partial<Field>): HTMLElement {
  const type = select("fieldType", [...FIELD_TYPES], f.type ?? "text");
  const values = input("fieldValues", ((f.options?.values as string[] | undefined) ?? []).join(", "), {
    placeholder: "draft, published",
    "aria-label": "Values",
  });
  const valuesBox = h("span", { class: "field-values" }, values);
  const follow = () => (valuesBox.hidden = type.value !== "select");
  type.addEventListener("change", follow);
  follow();
  const row = h(
    "div",
    { class: "field-row", "data-field-id": f.id ?? "" },
    input("fieldName", f.name, { placeholder: "name", "aria-label": "Field name", required: true }),
    type,
    h(
      "label",
      { class: "check" },
      h("input", { type: "checkbox", name: "fieldRequired", checked: f.required }),
      "required",
    ),
    valuesBox,
    button("✕", () => row.remove(), { kind: "ghost", small: true, title: "Remove the field" }),
  );
  type.setAttribute("aria-label", "Field type");
  return row;
}

function readFields(rows: HTMLElement): FieldDraft[] {
  return [...rows.querySelectorAll<HTMLElement>(".field-row")].map((row) => {
    const value = (name: string) => row.querySelector<HTMLInputElement>(`[name=${name}]`)!;
    const type = value("fieldType").value as FieldType;
    const values = value("fieldValues")
      .value.split(",")
      .map((v) => v.trim())
      .filter(Boolean);
    const id = row.dataset.fieldId || undefined;
    return {
      ...(id ? { id } : {}),
      name: value("fieldName").value.trim(),
      type,
      required: value("fieldRequired").checked,
      options: type === "select" ? { values } : {},
    };
  });
}

/** collectionDialog creates a collection (existing null) or edits one; `saved` runs after. */
export function collectionDialog(existing: CollectionView | null, saved: () => void): void {
  const rows = h(
    "div",
    { class: "field-rows", "data-testid": "field-rows" },
    (existing?.schema ?? [{}]).map((f) => fieldRow(f)),
  );
  const form = h(
    "form",
    { class: "form-grid", onsubmit: (e: Event) => e.preventDefault() },
    h(
      "div",
      { class: "span-2" },
      field("Name", input("name", existing?.name, { required: true, placeholder: "posts" })),
    ),
    h(
      "div",
      { class: "span-2" },
      h("span", { class: "field-label" }, "Fields"),
      rows,
      button("Add field", () => rows.append(fieldRow({})), { small: true, testid: "add-field" }),
    ),
    existing
      ? null
      : [
          field("Trigger on", select("action", [["", "no trigger yet"], "create", "update", "delete"], "")),
          field("Trigger URL", input("url", "", { type: "url", placeholder: "https://example.com/hook" })),
        ],
  );
  openDialog(existing ? `Edit ${existing.name}` : "New collection", form, (d) => [
    button("Cancel", () => d.close()),
    actionButton(
      existing ? "Save collection" : "Create collection",
      existing ? "save the collection" : "create the collection",
      async () => {
        const f = readForm(form);
        const body = { name: f.text("name"), schema: readFields(rows) };
        if (existing) await api("PATCH", `/api/collections/${encodeURIComponent(existing.name)}`, body);
        else {
          const action = f.text("action");
          const triggers = action ? [{ action, url: f.text("url") }] : [];
          await api("POST", "/api/collections", { ...body, options: { triggers } });
        }
        d.close();
        saved();
      },
      d.errors,
      { kind: "primary", testid: existing ? "save-collection" : "create-collection" },
    ),
  ]);
}
