// A target's signing secret: revealed on request and copied (secrets:read), or rotated with a
// grace period during which both secrets sign.
import { api } from "../api";
import { actionButton, button, openDialog, toast } from "../controls";
import { h, replace } from "../dom";
import { alert, field } from "../ui";

/** secretDialog shows the secret behind `secretPath` (…/secret) on request, and offers to rotate it. */
export function secretDialog(label: string, secretPath: string): void {
  const shown = h("input", {
    class: "mono",
    readonly: true,
    value: "••••••••••••••••••••••••",
    "aria-label": "Signing secret",
    "data-testid": "secret-value",
  });
  const hours = h("input", { type: "number", min: 0, max: 168, value: 24, name: "graceHours" });
  const copy = (key: string) =>
    navigator.clipboard?.writeText(key).then(
      () => toast("Secret copied"),
      () => (shown.select(), toast("Select the secret and copy it")),
    );
  const body = h(
    "div",
    { class: "stack" },
    h("p", null, `Receivers of ${label} check each request's webhook-signature with this secret.`),
    field("Signing secret", shown),
    h(
      "details",
      null,
      h("summary", null, "Rotate the secret"),
      h(
        "p",
        { class: "muted small" },
        "During the grace period each request carries both signatures, so receivers can switch over.",
      ),
      field("Grace period (hours)", hours, "0 to 168; both secrets are accepted meanwhile."),
    ),
  );
  openDialog("Signing secret", body, (d) => {
    const reveal = actionButton(
      "Reveal",
      "read the secret",
      async () => {
        const { key } = await api<{ key: string }>("GET", secretPath);
        shown.value = key;
        reveal.replaceWith(button("Copy", () => void copy(key), { testid: "copy-secret" }));
      },
      d.errors,
      { testid: "reveal-secret" },
    );
    return [
      reveal,
      actionButton(
        "Rotate",
        "rotate the secret",
        async () => {
          const { key } = await api<{ key: string }>("POST", `${secretPath}/rotate`, {
            gracePeriodSeconds: Math.round(Number(hours.value) * 3600),
          });
          shown.value = key;
          replace(
            body,
            alert("ok", "The secret was rotated. Give the new one to the receiver."),
            field("New signing secret", shown),
          );
          shown.setAttribute("aria-label", "New secret");
          replace(
            d.el.querySelector(".dialog-foot")!,
            button("Copy", () => void copy(key)),
            button("Done", () => d.close(), { kind: "primary" }),
          );
          shown.select();
        },
        d.errors,
        { kind: "danger", testid: "rotate-secret" },
      ),
      button("Close", () => d.close(), { kind: "primary" }),
    ];
  });
}
