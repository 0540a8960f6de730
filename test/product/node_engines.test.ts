// `npm ci` on the oldest Node.js package.json's engines names must print no EBADENGINE warning:
// every locked package must accept that version. (Some graphql-tools releases want Node
// ≥ 22.15; package.json's overrides pin the ones graphql-yoga accepts that do not.)
import { expect, test } from "bun:test";

const ROOT = `${import.meta.dir}/../..`;
const manifest = await Bun.file(`${ROOT}/package.json`).json();
const lock = await Bun.file(`${ROOT}/package-lock.json`).json();

test("every locked package accepts the oldest Node.js that engines names", () => {
  const oldest = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(manifest.engines.node)?.[1];
  expect(oldest).toBeDefined();
  const version = `${oldest}.0.0`.split(".").slice(0, 3).join(".");
  const refusing = Object.entries(lock.packages as Record<string, { engines?: { node?: string } }>)
    .filter(([path, pkg]) => path !== "" && pkg.engines?.node && !Bun.semver.satisfies(version, pkg.engines.node))
    .map(([path, pkg]) => `${path} wants node ${pkg.engines!.node}`);
  expect(refusing).toEqual([]);
});
