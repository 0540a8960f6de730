// Form controls and readers the editors share: inputs built from values, and FormData read back
// into the API's types (empty text is "none", numbers are numbers).
import { h } from "./dom";

/** input is a text-like input with a name and a value. */
export function input(name: string, value: string | number | null | undefined, attrs: Record<string, unknown> = {}) {
  return h("input", { name, value: value ?? "", autocomplete: "off", spellcheck: false, ...attrs });
}

/** textarea is a monospace text area with a name and a value. */
export function textarea(
  name: string,
  value: string | null | undefined,
  rows = 3,
  attrs: Record<string, unknown> = {},
) {
  return h("textarea", { name, rows, spellcheck: false, class: "mono", ...attrs }, value ?? "");
}

/** select offers choices (value, or [value, label]); `value` is chosen. */
export function select(name: string, choices: (string | [string, string])[], value: string | null | undefined) {
  return h(
    "select",
    { name },
    choices.map((c) => {
      const [v, label] = typeof c === "string" ? [c, c] : c;
      return h("option", { value: v, selected: v === (value ?? "") }, label);
    }),
  );
}

/** checkbox is a labelled check box. */
export function checkbox(name: string, label: string, checked: boolean): HTMLLabelElement {
  return h("label", { class: "check" }, h("input", { type: "checkbox", name, checked }), label);
}

/** FormReader reads a form's values in the API's terms. */
export interface FormReader {
  text(name: string): string;
  /** optional: the trimmed text, or null when empty. */
  optional(name: string): string | null;
  /** number: the number, or null when empty. */
  number(name: string): number | null;
  /** list: comma- or line-separated words, or null when none. */
  list(name: string): string[] | null;
  checked(name: string): boolean;
}

/** readForm answers a reader of the form's current values. */
export function readForm(form: HTMLFormElement): FormReader {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? "").trim();
  return {
    text,
    optional: (name) => text(name) || null,
    number: (name) => (text(name) === "" ? null : Number(text(name))),
    list: (name) => {
      const items = text(name)
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter(Boolean);
      return items.length ? items : null;
    },
    checked: (name) => data.get(name) !== null,
  };
}

/** parseJsonObject reads a JSON object from text, saying in words what is wrong. */
export function parseJsonObject<T = Record<string, unknown>>(text: string, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text || "{}");
  } catch (err) {
    throw new Error(`${what} is not valid JSON (${(err as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error(`${what} must be a JSON object, such as {"X-Source": "hookd"}`);
  return value as T;
}
