// The documentation's checkable promises: the configuration page lists every setting with its
// default, and the README's set-up is exactly the two commands a fresh machine needs.
import { expect, test } from "bun:test";
import { SETTINGS } from "../src/config";

const ROOT = `${import.meta.dir}/..`;
const readme = await Bun.file(`${ROOT}/README.md`).text();
const configuration = await Bun.file(`${ROOT}/docs/configuration.md`).text();

test.each(SETTINGS.map((s) => [s.env, s.default] as const))(
  "docs/configuration.md documents %s with its default",
  (env, def) => {
    const row = configuration.split("\n").find((line) => line.startsWith(`| \`${env}\``));
    expect(row).toBeDefined();
    if (def) expect(row).toContain(`\`${def}\``);
  },
);

test("the README's set-up is two commands, each on its own line", () => {
  const start = readme.indexOf("## Set up");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  const commands = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.trim().split("\n"));
  expect(commands).toEqual(["npm ci && npm start", "npm test"]);
});

test("the README stays a front door", () => {
  expect(readme.split("\n").length).toBeLessThanOrEqual(300);
});
