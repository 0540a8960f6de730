// Bundles the dashboard's browser code (client/index.html with its TypeScript and CSS) into
// a few files in memory. Used at run time when hookd runs from source, and by
// scripts/build.ts to embed the same files in the binary.
import { join } from "node:path";

/** ClientFile is one bundled file: its path under /_/, content type and text. */
export interface ClientFile {
  path: string;
  type: string;
  text: string;
}

/** DASHBOARD_ENTRY is the HTML page the bundle starts from. */
export const DASHBOARD_ENTRY = join(import.meta.dir, "client", "index.html");

/** bundleClient runs Bun's bundler over the dashboard page; hashed names go under assets/. */
export async function bundleClient(): Promise<ClientFile[]> {
  const result = await Bun.build({
    entrypoints: [DASHBOARD_ENTRY],
    target: "browser",
    minify: true,
    publicPath: "/_/",
    naming: { entry: "[name].[ext]", chunk: "assets/[name]-[hash].[ext]", asset: "assets/[name]-[hash].[ext]" },
  });
  if (!result.success) throw new AggregateError(result.logs, "the dashboard did not bundle");
  return Promise.all(
    result.outputs.map(async (o) => ({ path: o.path.replace(/^\.\//, ""), type: o.type, text: await o.text() })),
  );
}
