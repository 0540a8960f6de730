// Creating a collection from the dashboard: a name, its fields, and optionally a first trigger.
import { api } from "../api";
import { actionButton, button, openDialog } from "../controls";
import { h } from "../dom";
import { field } from "../ui";

const TYPES = ["text", "email", "number", "bool", "date", "datetime", "select", "url", "editor", "json", "relation"];

/** parseFieldLines reads "name type [required]" per line into the API's field list. */
export function parseFieldLines(text: string): { name: string; type: string; required: boolean }[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line, i) => {
      const [name, type = "text", flag] = line.split(/\s+/);
      if (!TYPES.includes(type))
        throw new Error(`line ${i + 1}: "${type}" is not a field type; use one of ${TYPES.join(", ")}`);
      return { name: name!, type, required: flag === "required" };
    });
}

/** newCollectionDialog asks for a collection and creates it; `created` runs after. */
export function newCollectionDialog(created: () => void): void {
  const form = h(
    "form",
    { class: "form-grid", onsubmit: (e: Event) => e.preventDefault() },
    h(
      "div",
      { class: "span-2" },
      field("Name", h("input", { name: "name", required: true, placeholder: "posts", autocomplete: "off" })),
    ),
    h(
      "div",
      { class: "span-2" },
      field(
        "Fields",
        h("textarea", { name: "fields", rows: 3, spellcheck: false, placeholder: "title text required\nstatus text" }),
        "One per line: name, type, and optionally required.",
      ),
    ),
    field(
      "Trigger on",
      h(
        "select",
        { name: "action" },
        h("option", { value: "" }, "no trigger yet"),
        ["create", "update", "delete"].map((a) => h("option", { value: a }, a)),
      ),
    ),
    field("Trigger URL", h("input", { name: "url", type: "url", placeholder: "https://example.com/hook" })),
  );
  openDialog("New collection", form, (d) => [
    button("Cancel", () => d.close()),
    actionButton(
      "Create collection",
      "create the collection",
      async () => {
        const data = new FormData(form);
        const action = String(data.get("action") ?? "");
        const triggers = action ? [{ action, url: String(data.get("url") ?? "").trim() }] : [];
        await api("POST", "/api/collections", {
          name: String(data.get("name") ?? "").trim(),
          schema: parseFieldLines(String(data.get("fields") ?? "")),
          options: { triggers },
        });
        d.close();
        created();
      },
      d.errors,
      { kind: "primary", testid: "create-collection" },
    ),
  ]);
}
