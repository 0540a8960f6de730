// Rotating a target's signing secret: choose the grace period, then see the new key once.
import { api } from "../api";
import { actionButton, button, openDialog } from "../controls";
import { h, replace } from "../dom";
import { alert, field } from "../ui";

/** rotateSecretDialog rotates the secret behind `secretPath` (…/secret) after asking for a grace period. */
export function rotateSecretDialog(label: string, secretPath: string): void {
  const hours = h("input", { type: "number", min: 0, max: 168, value: 24, name: "graceHours" });
  const body = h(
    "div",
    null,
    h(
      "p",
      null,
      `Replace the signing secret of ${label}. During the grace period each request carries both signatures, so receivers can switch over.`,
    ),
    field("Grace period (hours)", hours, "0 to 168; both secrets are accepted meanwhile."),
  );
  openDialog("Rotate signing secret", body, (d) => [
    button("Cancel", () => d.close()),
    actionButton(
      "Rotate",
      "rotate the secret",
      async () => {
        const { key } = await api<{ key: string }>("POST", `${secretPath}/rotate`, {
          gracePeriodSeconds: Math.round(Number(hours.value) * 3600),
        });
        const shown = h("input", { class: "mono", readonly: true, value: key, "aria-label": "New secret" });
        replace(
          body,
          alert("ok", "The secret was rotated. Give the new one to the receiver; it is not shown again here."),
          field("New signing secret", shown),
        );
        replace(
          d.el.querySelector(".dialog-foot")!,
          button("Copy", () => void navigator.clipboard?.writeText(key)),
          button("Done", () => d.close(), { kind: "primary" }),
        );
        shown.select();
      },
      d.errors,
      { kind: "danger" },
    ),
  ]);
}
