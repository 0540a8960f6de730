export {};
// Builds the single binary dist/hookd, with the dashboard's bundled files embedded. libsql
// picks its native addon with a require() computed at run time, which `bun build --compile`
// cannot follow; a plugin makes that one require static so the addon is embedded too. The
// SQL job processes' watchdog and the checkpoint worker are entrypoints of their own: Bun bundles worker files only
// when they are listed.
import { bundleClient } from "../src/dashboard/bundle_client";

const target = `@libsql/${process.platform}-${process.arch}-gnu`;
// From source the dashboard is bundled on first request; in the binary its files are constants.
const clientFiles = await bundleClient();

const result = await Bun.build({
  entrypoints: ["./src/main.ts", "./src/cron/sql_job_watchdog.ts", "./src/db/checkpoint_worker.ts"],
  compile: { outfile: "./dist/hookd" },
  minify: true,
  sourcemap: "linked",
  plugins: [
    {
      name: "embedded-dashboard",
      setup(build) {
        build.onLoad({ filter: /[\\/]src[\\/]dashboard[\\/]client_files\.ts$/ }, () => ({
          contents: `const files = ${JSON.stringify(clientFiles)};\nexport function loadClientFiles() { return Promise.resolve(files); }\n`,
          loader: "js",
        }));
      },
    },
    {
      name: "libsql-static-addon",
      setup(build) {
        build.onLoad({ filter: /[\\/]libsql[\\/]index\.js$/ }, async (args) => {
          const source = await Bun.file(args.path).text();
          const dynamic = "require(`@libsql/${target}`)";
          if (!source.includes(dynamic))
            throw new Error(`libsql loader changed; update scripts/build.ts (${args.path})`);
          return { contents: source.replace(dynamic, `require("${target}/index.node")`), loader: "js" };
        });
      },
    },
  ],
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
console.log("built dist/hookd");
