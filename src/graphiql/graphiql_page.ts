// GraphiQL at GET /graphql for a browser (Accept: text/html), served from the binary: the
// page, a small sign-in, and the editor's script, styles and workers from
// @graphql-yoga/render-graphiql's bundle, each as its own file so no script runs inline.
// The files hold no data, so they are public; every query GraphiQL sends carries the key.
import { GRAPHIQL_START_SCRIPT } from "./start_script";

/** GRAPHIQL_PREFIX is where the page's files live. */
export const GRAPHIQL_PREFIX = "/graphiql/";

// As the dashboard's, but React and the Monaco editor set style attributes and inject <style>:
// this page (only) allows inline styles. Scripts and workers come from this origin only.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const HEADERS = {
  "content-security-policy": CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>hookd GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${GRAPHIQL_PREFIX}graphiql.css">
<link rel="stylesheet" href="${GRAPHIQL_PREFIX}page.css">
</head>
<body class="no-focus-outline">
<form id="signin" hidden>
  <h1>hookd GraphiQL</h1>
  <label for="key">API key or admin token</label>
  <input id="key" type="password" autocomplete="current-password" autofocus>
  <button type="submit">Sign in</button>
  <p id="problem" role="alert"></p>
  <p class="hint">The key stays in this tab and is sent as an Authorization header. <a href="/_/">Dashboard</a></p>
</form>
<button id="signout" type="button" hidden>Sign out</button>
<div id="root" hidden></div>
<script src="${GRAPHIQL_PREFIX}graphiql.js"></script>
<script src="${GRAPHIQL_PREFIX}start.js"></script>
</body>
</html>
`;

const PAGE_CSS = `[hidden] { display: none !important; }
html, body { height: 100%; margin: 0; font-family: system-ui, sans-serif; }
#root { height: 100vh; }
#signin { max-width: 22rem; margin: 15vh auto; display: flex; flex-direction: column; gap: .5rem; }
#signin input, #signin button { font: inherit; padding: .5rem; }
#problem { color: #b00020; min-height: 1.2em; margin: 0; }
.hint { color: #555; font-size: .9em; }
#signout { position: fixed; right: .5rem; bottom: .5rem; z-index: 10; font: inherit; }
`;

type Bundle = typeof import("@graphql-yoga/render-graphiql/graphiql");
let bundle: Promise<Bundle> | undefined;
// About 9 MB of text: read on the first request for the page's files, not at start.
const loadBundle = () => (bundle ??= import("@graphql-yoga/render-graphiql/graphiql"));

const FILES: Record<string, [type: string, text: (b: Bundle) => string]> = {
  "graphiql.js": ["text/javascript", (b) => b.js],
  "graphiql.css": ["text/css", (b) => b.css],
  "editorWorkerService.worker.js": ["text/javascript", (b) => b.editorWorkerService],
  "json.worker.js": ["text/javascript", (b) => b.jsonWorker],
  "graphql.worker.js": ["text/javascript", (b) => b.graphqlWorker],
  "start.js": ["text/javascript", () => GRAPHIQL_START_SCRIPT],
  "page.css": ["text/css", () => PAGE_CSS],
};

/** wantsGraphiql tells a browser's page request (GET /graphql accepting HTML, no query) from a GraphQL request. */
export function wantsGraphiql(req: Request, url: URL): boolean {
  return (
    req.method === "GET" &&
    url.pathname === "/graphql" &&
    !url.searchParams.has("query") &&
    (req.headers.get("accept") ?? "").includes("text/html")
  );
}

/** graphiqlPage answers the page. */
export function graphiqlPage(): Response {
  return new Response(PAGE, {
    headers: { ...HEADERS, "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" },
  });
}

/** graphiqlFile answers one of the page's files, or a 404. */
export async function graphiqlFile(path: string): Promise<Response> {
  const name = path.slice(GRAPHIQL_PREFIX.length);
  // Own keys only: /graphiql/constructor would find Object's constructor and fail as a 500.
  const file = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
  if (!file) return new Response("not found\n", { status: 404, headers: { ...HEADERS, "content-type": "text/plain" } });
  const [type, text] = file;
  return new Response(text(await loadBundle()), {
    headers: { ...HEADERS, "content-type": `${type}; charset=utf-8`, "cache-control": "public, max-age=3600" },
  });
}
