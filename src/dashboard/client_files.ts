// Where the dashboard's files come from. From source they are bundled on first use; the
// binary build (scripts/build.ts) replaces this module with one holding the bundled files,
// so the binary serves them with no bundler and no network.
import { bundleClient, type ClientFile } from "./bundle_client";

let files: Promise<ClientFile[]> | undefined;

/** loadClientFiles answers the bundled dashboard files, bundling them once per process. */
export function loadClientFiles(): Promise<ClientFile[]> {
  files ??= bundleClient().catch((err) => {
    files = undefined; // a fixed source file gets another try on the next request
    throw err;
  });
  return files;
}
