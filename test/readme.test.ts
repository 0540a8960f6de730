import { expect, test } from "bun:test";
import { SETTINGS } from "../src/config";

const readme = await Bun.file(`${import.meta.dir}/../README.md`).text();

test.each(SETTINGS.map((s) => [s.env, s.default] as const))("README documents %s with its default", (env, def) => {
  const row = readme.split("\n").find((line) => line.startsWith(`| \`${env}\``));
  expect(row).toBeDefined();
  if (def) expect(row).toContain(`\`${def}\``);
});
