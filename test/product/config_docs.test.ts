// docs/configuration.md is generated from the settings table (scripts/config_docs.ts); a setting
// added to src/config.ts without regenerating the page fails here, saying how to fix it.
import { expect, test } from "bun:test";
import { CONFIGURATION_PAGE, configurationPage } from "../../scripts/config_docs";
import { SETTINGS } from "../../src/config";

test("docs/configuration.md is what `npm run docs` writes from src/config.ts", async () => {
  const onDisk = await Bun.file(CONFIGURATION_PAGE).text();
  if (onDisk !== configurationPage()) throw new Error("docs/configuration.md is out of date: run `npm run docs`");
});

test("the page has one row per setting, with its flag and default", () => {
  const page = configurationPage();
  for (const s of SETTINGS) {
    const row = page.split("\n").find((line) => line.startsWith(`| \`${s.env}\` |`));
    expect(row).toBeDefined();
    if ("flag" in s && s.flag) expect(row).toContain(`\`${s.flag}\``);
    if (s.default) expect(row).toContain(`\`${s.default}\``);
  }
});
