// The release archive for linux-arm64, built as `npm run release` builds it (cross-compiled,
// with the arm64 libSQL addon fetched by npm pack), unpacked and started under qemu-user: the
// binary must answer /healthz. Needs Debian's qemu-user-static and the arm64 C library
// (libc6-arm64-cross, libgcc-s1-arm64-cross), which .ci/run installs; without them this test
// says why and is skipped.
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { archiveName, buildArchive, PLATFORMS, sha256File, writeChecksums } from "../scripts/release";
import { VERSION } from "../src/version";

const QEMU = Bun.which("qemu-aarch64-static") ?? Bun.which("qemu-aarch64");
const SYSROOT = "/usr/aarch64-linux-gnu";
const missing = [
  ...(QEMU ? [] : ["qemu-aarch64-static (Debian's qemu-user-static)"]),
  ...(existsSync(join(SYSROOT, "lib/ld-linux-aarch64.so.1")) ? [] : [`the arm64 C library in ${SYSROOT}`]),
  ...(Bun.which("npm") ? [] : ["npm"]),
];
if (missing.length > 0) console.warn(`release_qemu: skipped, ${missing.join(" and ")} not installed`);

const linuxArm64 = PLATFORMS.find((p) => p.os === "linux" && p.arch === "arm64")!;
const dir = mkdtempSync(join(tmpdir(), "hookd-release-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** waitForUrl reads a process's stdout until its "listening" line gives the URL. */
async function waitForUrl(stdout: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stdout.getReader();
  let text = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`hookd exited before listening: ${text}`);
    text += new TextDecoder().decode(value);
    const m = /"url":"(http:\/\/[^"]+)"/.exec(text);
    if (m) {
      reader.releaseLock();
      void stdout.pipeTo(new WritableStream());
      return m[1]!;
    }
  }
}

test.skipIf(missing.length > 0)(
  "the linux-arm64 archive holds the binary and the docs, and the binary answers /healthz under qemu",
  async () => {
    const archive = await buildArchive(linuxArm64, dir);
    expect(archive).toEndWith(`hookd-${VERSION}-linux-arm64.tar.gz`);
    expect(archiveName(linuxArm64)).toBe(`hookd-${VERSION}-linux-arm64.tar.gz`);

    const sums = await Bun.file(await writeChecksums(dir)).text();
    expect(sums).toBe(`${await sha256File(archive)}  hookd-${VERSION}-linux-arm64.tar.gz\n`);

    const listing = await new Response(Bun.spawn(["tar", "-tzf", archive]).stdout).text();
    const folder = `hookd-${VERSION}-linux-arm64`;
    for (const file of ["hookd", "README.md", "LICENSE", "CHANGELOG.md", "docs/configuration.md"])
      expect(listing.split("\n")).toContain(`${folder}/${file}`);
    expect(await Bun.spawn(["tar", "-xzf", archive, "-C", dir]).exited).toBe(0);

    const proc = Bun.spawn([QEMU!, join(dir, folder, "hookd"), "serve", "--db", join(dir, "hookd.db"), "--port", "0"], {
      cwd: dir,
      env: { ...process.env, QEMU_LD_PREFIX: SYSROOT, HOOKD_ADMIN_TOKEN: "qemu" },
      stdout: "pipe",
      stderr: "pipe",
    });
    try {
      const url = await waitForUrl(proc.stdout);
      const res = await fetch(`${url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "ok", version: VERSION });
    } finally {
      proc.kill();
      await proc.exited;
    }
  },
  300_000,
);
