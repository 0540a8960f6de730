// Interactive pieces: buttons that show progress and report their own errors, dialogs, toasts.
import { describe } from "./api";
import { h, replace, type Child } from "./dom";
import { allows } from "./scopes";
import { alert } from "./ui";

/** ButtonOptions style a button. */
export interface ButtonOptions {
  kind?: "primary" | "secondary" | "danger" | "ghost";
  small?: boolean;
  title?: string;
  disabled?: boolean;
  testid?: string;
  /** needs is the scope the button's call needs; without it the button is not shown. */
  needs?: string;
}

/** button makes a plain button. */
export function button(label: Child, onclick: (e: MouseEvent) => void, o: ButtonOptions = {}): HTMLButtonElement {
  return h(
    "button",
    {
      type: "button",
      class: `btn btn-${o.kind ?? "secondary"}${o.small ? " btn-sm" : ""}`,
      title: o.title,
      disabled: o.disabled,
      "data-testid": o.testid,
      hidden: o.needs !== undefined && !allows(o.needs),
      onclick,
    },
    label,
  );
}

/**
 * actionButton runs an async action: the button is disabled while it runs, and a failure is
 * written in words into `errors` (the spot where it happened).
 */
export function actionButton(
  label: string,
  doing: string,
  run: () => Promise<unknown>,
  errors: HTMLElement,
  o: ButtonOptions = {},
): HTMLButtonElement {
  const btn = button(
    label,
    async () => {
      btn.disabled = true;
      btn.setAttribute("aria-busy", "true");
      replace(errors);
      try {
        await run();
      } catch (err) {
        replace(errors, alert("error", describe(err, doing)));
      } finally {
        btn.disabled = false;
        btn.removeAttribute("aria-busy");
      }
    },
    o,
  );
  return btn;
}

/** Dialog is an open modal; close() removes it. */
export interface Dialog {
  el: HTMLElement;
  errors: HTMLElement;
  close(): void;
}

/** openDialog shows a modal with a title, body and footer buttons; Escape or the backdrop closes it. */
export function openDialog(title: string, body: Child, footer: (d: Dialog) => Child): Dialog {
  const errors = h("div", { class: "dialog-errors" });
  const panel = h("div", { class: "dialog", role: "dialog", "aria-modal": "true", "aria-label": title });
  const backdrop = h(
    "div",
    { class: "backdrop", onclick: (e: Event) => e.target === backdrop && dialog.close() },
    panel,
  );
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") return dialog.close();
    if (e.key === "Tab") keepFocusIn(panel, e);
  };
  // Focus goes back where it was when the dialog closes (WAI-ARIA dialog pattern).
  const before = document.activeElement as HTMLElement | null;
  const dialog: Dialog = {
    el: panel,
    errors,
    close() {
      backdrop.remove();
      document.removeEventListener("keydown", onKey);
      if (before?.isConnected) before.focus();
    },
  };
  replace(
    panel,
    h(
      "div",
      { class: "dialog-head" },
      h("h2", null, title),
      button("✕", () => dialog.close(), { kind: "ghost", small: true, title: "Close" }),
    ),
    h("div", { class: "dialog-body" }, body, errors),
    h("div", { class: "dialog-foot" }, footer(dialog)),
  );
  document.addEventListener("keydown", onKey);
  document.body.append(backdrop);
  panel.querySelector<HTMLElement>("input, textarea, select")?.focus();
  return dialog;
}

const FOCUSABLE =
  "a[href], button:not([disabled]), input:not([disabled]), select, textarea, [tabindex]:not([tabindex='-1'])";

/** keepFocusIn wraps Tab and Shift+Tab around the dialog's controls, so focus stays in the modal. */
function keepFocusIn(panel: HTMLElement, e: KeyboardEvent): void {
  const items = [...panel.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.closest("[hidden]"));
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) return;
  const inside = panel.contains(document.activeElement);
  if (e.shiftKey && (document.activeElement === first || !inside)) e.preventDefault(), last.focus();
  else if (!e.shiftKey && (document.activeElement === last || !inside)) e.preventDefault(), first.focus();
}

/** confirmAction asks before a consequential action and runs it from the dialog, reporting errors there. */
export function confirmAction(
  title: string,
  message: Child,
  label: string,
  doing: string,
  run: () => Promise<unknown>,
  kind: ButtonOptions["kind"] = "primary",
): void {
  openDialog(title, h("p", null, message), (d) => [
    button("Cancel", () => d.close()),
    actionButton(label, doing, async () => (await run(), d.close()), d.errors, { kind, testid: "confirm" }),
  ]);
}

/** toast shows a short confirmation: in the open inspector's head (so it covers none of its content), else at the bottom. */
export function toast(message: string): void {
  let host =
    document.querySelector<HTMLElement>(".drawer .drawer-toasts") ?? document.querySelector<HTMLElement>(".toasts");
  if (!host) document.body.append((host = h("div", { class: "toasts", role: "status" })));
  const el = h("div", { class: "toast" }, message);
  host.append(el);
  while (host.children.length > 2) host.firstElementChild!.remove();
  setTimeout(() => el.remove(), 3000);
}
