// test/ mirrors src/ (docs/architecture.md): every test file sits in the folder of the layer it
// checks, or in test/product/; none directly in test/, where nobody would know where to look.
import { expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const TEST_ROOT = join(import.meta.dir, "..");
const SRC_ROOT = join(import.meta.dir, "../../src");
/** Folders of test/ that mirror no src/ folder: the whole product, shared helpers and data. */
const OWN_FOLDERS = ["product", "support", "fixtures", "screenshots"];

function folders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

test("no test file sits directly in test/", () => {
  const flat = readdirSync(TEST_ROOT).filter((name) => name.endsWith(".test.ts"));
  expect(flat).toEqual([]);
});

test("every folder of test/ is a folder of src/ or one of test/'s own", () => {
  const known = new Set([...folders(SRC_ROOT), ...OWN_FOLDERS]);
  expect(folders(TEST_ROOT).filter((name) => !known.has(name))).toEqual([]);
});
