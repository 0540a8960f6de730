// Sign-in: the admin token or an API key is checked against the API before it is kept for this tab.
import { api, describe } from "../api";
import { h, replace } from "../dom";
import { setToken } from "../session";
import { alert } from "../ui";

/** signIn renders the sign-in card; `done` runs once a token is accepted. */
export function signIn(done: () => void, message?: string): HTMLElement {
  const errors = h("div", { class: "signin-errors" }, message ? alert("info", message) : null);
  const input = h("input", {
    type: "password",
    name: "token",
    id: "token",
    autocomplete: "current-password",
    placeholder: "HOOKD_ADMIN_TOKEN or hk_…",
    required: true,
  });
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Sign in");
  const form = h(
    "form",
    {
      class: "signin-card",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const token = input.value.trim();
        if (!token) return replace(errors, alert("error", "Enter the admin token or an API key."));
        submit.disabled = true;
        replace(errors);
        try {
          await api("GET", "/api/keys/self", undefined, token);
          setToken(token);
          done();
        } catch (err) {
          const status = (err as { status?: number }).status;
          replace(
            errors,
            alert(
              "error",
              status === 401
                ? "That token was refused. Use the value of HOOKD_ADMIN_TOKEN, the token hookd printed on its first start, or an API key (hk_…) that is not revoked or expired."
                : describe(err, "sign in"),
            ),
          );
        } finally {
          submit.disabled = false;
        }
      },
    },
    h("div", { class: "brand brand-lg" }, h("span", { class: "brand-mark" }, "h"), "hookd"),
    h("h1", null, "Sign in"),
    h(
      "p",
      { class: "muted" },
      "Enter the admin token or an API key; the dashboard shows what its scopes allow. It is kept in this browser tab only and sent as an Authorization header.",
    ),
    h("label", { class: "field" }, h("span", { class: "field-label" }, "Admin token or API key"), input),
    errors,
    submit,
  );
  return h("div", { class: "signin" }, form);
}
