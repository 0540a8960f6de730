// The dashboard's entry: sign-in gate, the navigation shell and hash routing between screens.
import "./styles.css";
import { setSignedOutHandler } from "./api";
import { h, replace } from "./dom";
import { parseHash } from "./router";
import { clearToken, getToken } from "./session";
import type { Screen, View } from "./view";
import { collectionsScreen } from "./views/collections";
import { cronScreen } from "./views/cron";
import { logsScreen } from "./views/logs";
import { overviewScreen } from "./views/overview";
import { signIn } from "./views/signin";
import { webhooksScreen } from "./views/webhooks";

const SCREENS: Screen[] = [overviewScreen, collectionsScreen, logsScreen, cronScreen, webhooksScreen];
const root = document.getElementById("app")!;
let current: { screen: Screen; view: View } | null = null;

function showSignIn(message?: string): void {
  current?.view.destroy?.();
  current = null;
  replace(
    root,
    signIn(() => showShell(), message),
  );
}

function showShell(): void {
  const main = h("main", { class: "main", id: "main" });
  const nav = h(
    "nav",
    { class: "nav", "aria-label": "Screens" },
    SCREENS.map((s) => h("a", { href: `#/${s.id}`, "data-screen": s.id }, s.nav ?? s.title)),
  );
  const signOut = h(
    "button",
    { type: "button", class: "btn btn-ghost btn-sm signout", onclick: () => (clearToken(), showSignIn("Signed out.")) },
    "Sign out",
  );
  const brand = h("a", { class: "brand", href: "#/overview" }, h("span", { class: "brand-mark" }, "h"), "hookd");
  replace(root, h("div", { class: "shell" }, h("aside", { class: "sidebar" }, brand, nav, signOut), main));
  route();
}

function route(): void {
  if (!getToken()) return showSignIn();
  const main = document.getElementById("main");
  if (!main) return;
  const { screen: id, params } = parseHash(location.hash);
  const screen = SCREENS.find((s) => s.id === id) ?? SCREENS[0]!;
  for (const a of document.querySelectorAll<HTMLAnchorElement>(".nav a"))
    a.classList.toggle("active", a.dataset.screen === screen.id);
  document.title = `${screen.title} · hookd`;
  if (current?.screen === screen && current.view.update) return current.view.update(params);
  current?.view.destroy?.();
  current = { screen, view: screen.mount(params) };
  replace(main, current.view.el);
  main.scrollTop = 0;
}

setSignedOutHandler(() => showSignIn("The server refused the token. Sign in again."));
window.addEventListener("hashchange", route);
if (getToken()) showShell();
else showSignIn();
