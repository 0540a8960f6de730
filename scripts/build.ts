// Builds the single binary dist/hookd for this machine (`npm run build`); scripts/release.ts
// builds the archives for every platform.
import { buildBinary } from "./build_binary";

try {
  await buildBinary({
    outfile: "./dist/hookd",
    libsqlAddon: `@libsql/${process.platform}-${process.arch}-gnu/index.node`,
  });
  console.log("built dist/hookd");
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
