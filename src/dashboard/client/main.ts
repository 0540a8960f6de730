// The dashboard's entry: sign-in gate, the navigation shell and hash routing between screens.
import "./styles.css";
import { api, describe, setSignedOutHandler } from "./api";
import { h, replace } from "./dom";
import { parseHash } from "./router";
import { allows, setScopes } from "./scopes";
import { clearToken, getToken } from "./session";
import type { Screen, View } from "./view";
import { collectionsScreen } from "./views/collections";
import { backupsScreen } from "./views/backups";
import { cronScreen } from "./views/cron";
import { keysScreen } from "./views/keys";
import { logsScreen } from "./views/logs";
import { overviewScreen } from "./views/overview";
import { recordsScreen } from "./views/records";
import { signIn } from "./views/signin";
import { webhooksScreen } from "./views/webhooks";

const SCREENS: Screen[] = [
  overviewScreen,
  collectionsScreen,
  recordsScreen,
  logsScreen,
  cronScreen,
  webhooksScreen,
  keysScreen,
  backupsScreen,
];
const root = document.getElementById("app")!;
let current: { screen: Screen; view: View } | null = null;

function showSignIn(message?: string): void {
  current?.view.destroy?.();
  current = null;
  replace(
    root,
    signIn(() => void showShell(), message),
  );
}

// The screens the signed-in key may read; the others are not offered.
const screens = () => SCREENS.filter((s) => allows(s.needs));

async function showShell(): Promise<void> {
  try {
    setScopes((await api<{ scopes: string[] }>("GET", "/api/keys/self")).scopes);
  } catch (err) {
    if ((err as { status?: number }).status !== 401) showSignIn(describe(err, "read this key's scopes"));
    return;
  }
  const main = h("main", { class: "main", id: "main" });
  const nav = h(
    "nav",
    { class: "nav", "aria-label": "Screens" },
    screens().map((s) => h("a", { href: `#/${s.id}`, "data-screen": s.id }, s.nav ?? s.title)),
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
  const screen = screens().find((s) => s.id === id) ?? screens()[0];
  if (!screen)
    return replace(main, h("p", { class: "muted" }, "This key may not read any of the dashboard's screens."));
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
if (getToken()) void showShell();
else showSignIn();
