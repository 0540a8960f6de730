// Nothing in the documentation may point at something the repository does not hold: every
// relative link (and its #anchor) in the top-level pages (README, CHANGELOG) and docs/ must resolve, every path a page names
// in backticks (`src/…`, `test/…`) must exist, and no page, and no comment or string in the code, may cite a document
// kept outside the repository (the product specification, a sibling folder): a reader has only the repository.
import { expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");
/** Paths the build or the tests write; pages may name them although a checkout lacks them. */
const GENERATED = ["dist/", "data/", "test/screenshots/", ".bench/"];

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith(".md") ? [path] : [];
  });
}

const PAGES = [
  ...readdirSync(ROOT)
    .filter((name) => name.endsWith(".md"))
    .map((name) => join(ROOT, name)),
  ...markdownFiles(join(ROOT, "docs")),
];

/** prose gives a page without its fenced code blocks, where link syntax is only an example. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, "");
}

/** anchors gives the GitHub-style anchors of a page's headings (`## Set up` → `set-up`). */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of prose(text).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = m[1]!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** links gives every relative link target of a page: [text](target) and ![alt](target). */
function links(text: string): string[] {
  const targets = [...prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

/** brokenLink says what is wrong with one link of the page at `from`, or null. */
function brokenLink(from: string, target: string): string | null {
  const [pathPart, anchor] = target.split("#") as [string, string | undefined];
  const file = pathPart === "" ? from : resolve(dirname(from), decodeURIComponent(pathPart));
  if (relative(ROOT, file).startsWith("..")) return "points outside the repository";
  if (!existsSync(file)) return "no such file";
  if (anchor === undefined) return null;
  if (statSync(file).isDirectory() || !file.endsWith(".md")) return "an anchor on a file that is not a page";
  return anchors(readFileSync(file, "utf8")).has(anchor) ? null : `no heading #${anchor}`;
}

/** namedPaths gives the repository paths a page names in backticks, such as `src/config.ts`. */
function namedPaths(text: string): string[] {
  const found = [...text.matchAll(/`((?:src|test|scripts|bench|docs|\.ci)\/[^`\s]*)`/g)].map((m) => m[1]!);
  return found.filter((p) => !GENERATED.some((g) => p.startsWith(g)));
}

function pathExists(path: string): boolean {
  if (!path.includes("*")) return existsSync(join(ROOT, path));
  return new Bun.Glob(path).scanSync({ cwd: ROOT, onlyFiles: false }).next().done === false;
}

const pageName = (page: string) => relative(ROOT, page);

test.each(PAGES.map((p) => [pageName(p), p]))("every relative link in %s resolves", async (_, page) => {
  const text = await Bun.file(page).text();
  const broken = links(text)
    .map((target) => [target, brokenLink(page, target)] as const)
    .filter(([, why]) => why !== null)
    .map(([target, why]) => `${target}: ${why}`);
  expect(broken).toEqual([]);
});

test.each(PAGES.map((p) => [pageName(p), p]))("every path %s names exists", async (_, page) => {
  const missing = namedPaths(await Bun.file(page).text()).filter((p) => !pathExists(p));
  expect(missing).toEqual([]);
});

/** citations gives what a text cites outside the repository; a public standard's section (RFC 9110 §7.6.1) is not that. */
function citations(text: string): string[] {
  const cited = text.replace(/\bRFC \d+ §\s?\d+/g, "");
  return [...cited.matchAll(/SPEC(?:\.md)?\b|§\s?\d+|\.\.\/shared\b/g)].map((m) => m[0]);
}

test.each(PAGES.map((p) => [pageName(p), p]))("%s cites no document outside the repository", async (_, page) => {
  expect(citations(await Bun.file(page).text())).toEqual([]);
});

/** CODE_DIRS hold code whose comments, strings and migrations must not cite the specification either. */
const CODE_DIRS = ["src", "test", "scripts", "bench"];

const CODE_FILES = CODE_DIRS.flatMap((dir) =>
  [...new Bun.Glob("**/*.{ts,tsx,js,sql,css,html}").scanSync({ cwd: join(ROOT, dir) })].map((path) => `${dir}/${path}`),
)
  // This file is left out: it spells the patterns it looks for.
  .filter((path) => path !== "test/product/docs_links.test.ts")
  .sort();

test("code cites no document outside the repository", async () => {
  const cited: string[] = [];
  for (const path of CODE_FILES) {
    const found = citations(await Bun.file(join(ROOT, path)).text());
    if (found.length > 0) cited.push(`${path}: ${found.join(", ")}`);
  }
  expect(cited).toEqual([]);
});

test("every page in docs/ is reachable by links from the README", () => {
  const reached = new Set<string>();
  const queue = [join(ROOT, "README.md")];
  while (queue.length > 0) {
    const page = queue.pop()!;
    if (reached.has(page)) continue;
    reached.add(page);
    for (const target of links(readFileSync(page, "utf8"))) {
      const path = target.split("#")[0]!;
      const file = path === "" ? page : resolve(dirname(page), decodeURIComponent(path));
      if (file.endsWith(".md") && existsSync(file)) queue.push(file);
    }
  }
  expect(PAGES.filter((p) => !reached.has(p) && p.startsWith(join(ROOT, "docs"))).map(pageName)).toEqual([]);
});

test("the checker sees a broken link, a missing anchor and a cited spec", () => {
  const readme = join(ROOT, "README.md");
  expect(brokenLink(readme, "docs/no-such-page.md")).toBe("no such file");
  expect(brokenLink(readme, "docs/api.md#no-such-heading")).toBe("no heading #no-such-heading");
  expect(brokenLink(readme, "../outside.md")).toBe("points outside the repository");
  expect(brokenLink(readme, "docs/api.md#cron-jobs")).toBeNull();
  expect(anchors("## `npm run bench`\n## Signing, current targets, and health\n## A\n## A")).toEqual(
    new Set(["npm-run-bench", "signing-current-targets-and-health", "a", "a-1"]),
  );
  expect(links("see [a](docs/a.md) and [b](https://example.com)\n```\n[c](x.md)\n```")).toEqual(["docs/a.md"]);
  expect(citations("// as SPEC §13 says; see ../shared/x; RFC 9110 §7.6.1")).toEqual(["SPEC", "§13", "../shared"]);
  expect(citations("const SPEC_COLUMNS = []; INTROSPECTION")).toEqual([]);
});
