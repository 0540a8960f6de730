// Compiles hookd into one executable, with the dashboard's bundled files embedded, for this
// machine (scripts/build.ts) or for another platform (scripts/release.ts). libsql picks its
// native addon with a require() computed at run time, which `bun build --compile` cannot
// follow; a plugin makes that one require static — to the addon this build is given — so the
// addon is embedded too. The SQL job watchdog, checkpoint and backup snapshot workers are entrypoints of
// their own: Bun bundles worker files only when they are listed.
import { bundleClient } from "../src/dashboard/bundle_client";

/** BinaryBuild says what to build: where, and for another platform, with which Bun and addon. */
export interface BinaryBuild {
  outfile: string;
  /** libsqlAddon is what the addon's require() becomes: a package path or an absolute file. */
  libsqlAddon: string;
  /** target and executablePath cross-compile: `bun-linux-arm64` with that platform's Bun. */
  target?: Bun.Build.CompileTarget;
  executablePath?: string;
}

/** buildBinary compiles hookd as `build` says; it throws with the bundler's messages on failure. */
export async function buildBinary(build: BinaryBuild): Promise<void> {
  const result = await Bun.build(await bundleOptions(build));
  if (!result.success) throw new Error(result.logs.map(String).join("\n"));
}

/**
 * bundleOptions are buildBinary's options (test/product/binary_bundle.test.ts bundles with them
 * to check what the program loads at start). Code split into chunks: GraphiQL's page is 9 MB of
 * text that a dynamic import would otherwise inline into the program every start parses and
 * keeps (with it inline, RSS at rest was 109 MB instead of 91 and start-up twice as long).
 */
export async function bundleOptions(build: BinaryBuild): Promise<Bun.BuildConfig> {
  // From source the dashboard is bundled on first request; in the binary its files are constants.
  const clientFiles = await bundleClient();
  return {
    entrypoints: [
      "./src/main.ts",
      "./src/cron/sql_job_watchdog.ts",
      "./src/db/checkpoint_worker.ts",
      "./src/backups/snapshot_worker.ts",
    ],
    compile: build.target
      ? { outfile: build.outfile, target: build.target, executablePath: build.executablePath }
      : { outfile: build.outfile },
    minify: true,
    splitting: true,
    sourcemap: "linked",
    plugins: [
      {
        name: "embedded-dashboard",
        setup(b) {
          b.onLoad({ filter: /[\\/]src[\\/]dashboard[\\/]client_files\.ts$/ }, () => ({
            contents: `const files = ${JSON.stringify(clientFiles)};\nexport function loadClientFiles() { return Promise.resolve(files); }\n`,
            loader: "js",
          }));
        },
      },
      {
        name: "libsql-static-addon",
        setup(b) {
          b.onLoad({ filter: /[\\/]libsql[\\/]index\.js$/ }, async (args) => {
            const source = await Bun.file(args.path).text();
            const dynamic = "require(`@libsql/${target}`)";
            if (!source.includes(dynamic))
              throw new Error(`libsql loader changed; update scripts/build_binary.ts (${args.path})`);
            return { contents: source.replace(dynamic, `require(${JSON.stringify(build.libsqlAddon)})`), loader: "js" };
          });
        },
      },
    ],
  };
}
