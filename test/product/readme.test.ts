// The README's checkable promises: it stays a front door, and its set-up is exactly the two
// commands a fresh machine needs. (The settings page is checked by config_docs.test.ts.)
import { expect, test } from "bun:test";

const readme = await Bun.file(`${import.meta.dir}/../../README.md`).text();

test("the README's set-up is two commands, each on its own line", () => {
  const start = readme.indexOf("## Set up");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  const commands = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.trim().split("\n"));
  expect(commands).toEqual(["npm ci && npm start", "npm test"]);
});

test("the README stays a front door", () => {
  expect(readme.split("\n").length).toBeLessThanOrEqual(300);
});
