// What the binary's program parses at start: GraphiQL's page (about 9 MB of text, read on the
// first request for it) must sit in a chunk of its own, reached only by a dynamic import;
// inlined, every start parsed and kept it (RSS at rest 109 MB instead of 91, start-up twice as
// long). Bundled here with buildBinary's own options, without compiling.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleOptions } from "../../scripts/build_binary";

const dir = mkdtempSync(join(tmpdir(), "hookd-bundle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Output {
  bytes: number;
  inputs: Record<string, unknown>;
  imports: { path: string; kind: string }[];
}

test("GraphiQL's page is a chunk of its own, loaded by a dynamic import only", async () => {
  const { compile: _, ...options } = await bundleOptions({
    outfile: join(dir, "hookd"),
    libsqlAddon: `@libsql/${process.platform}-${process.arch}-gnu/index.node`,
  });
  const result = await Bun.build({ ...options, target: "bun", outdir: dir, sourcemap: "none", metafile: true });
  expect(result.success).toBe(true);
  const outputs = Object.entries((result.metafile as unknown as { outputs: Record<string, Output> }).outputs);
  const isGraphiql = (input: string) => input.includes("@graphql-yoga/render-graphiql/");
  const holding = outputs.filter(([, o]) => Object.keys(o.inputs).some(isGraphiql));
  expect(holding).toHaveLength(1);
  const [chunk, output] = holding[0]!;
  expect(Object.keys(output.inputs).filter((input) => !isGraphiql(input))).toEqual([]);
  const importsOfIt = outputs.flatMap(([, o]) => o.imports.filter((i) => i.path.endsWith(chunk.replace(/^\.\//, ""))));
  expect(importsOfIt.length).toBeGreaterThan(0);
  expect(importsOfIt.every((i) => i.kind === "dynamic-import")).toBe(true);
}, 60_000);
