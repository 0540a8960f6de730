// Release archives, built as `npm run release` builds them (cross-compiled, with the platform's
// libSQL addon fetched by npm pack). linux-arm64: unpacked and started under qemu-user, the
// binary must answer /healthz; that needs Debian's qemu-user-static and the arm64 C library
// (libc6-arm64-cross, libgcc-s1-arm64-cross), which .ci/run installs; without them the test
// says why and is skipped. darwin-arm64 cannot be run here: its binary must be a signed arm64
// Mach-O whose embedded addon is arm64 too.
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { archiveName, buildArchive, PLATFORMS, sha256File, writeChecksums } from "../../scripts/release";
import { VERSION } from "../../src/version";

const QEMU = Bun.which("qemu-aarch64-static") ?? Bun.which("qemu-aarch64");
const SYSROOT = "/usr/aarch64-linux-gnu";
const missing = [
  ...(QEMU ? [] : ["qemu-aarch64-static (Debian's qemu-user-static)"]),
  ...(existsSync(join(SYSROOT, "lib/ld-linux-aarch64.so.1")) ? [] : [`the arm64 C library in ${SYSROOT}`]),
  ...(Bun.which("npm") ? [] : ["npm"]),
];
if (missing.length > 0) console.warn(`release: the qemu test is skipped, ${missing.join(" and ")} not installed`);

const linuxArm64 = PLATFORMS.find((p) => p.os === "linux" && p.arch === "arm64")!;
const darwinArm64 = PLATFORMS.find((p) => p.os === "darwin" && p.arch === "arm64")!;
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

const MH_MAGIC_64 = 0xfeedfacf;
const CPU_TYPE_ARM64 = 0x0100000c;
const LC_CODE_SIGNATURE = 0x1d;

/** machO reads what this test needs of a 64-bit Mach-O file: its CPU type and load commands. */
function machO(bytes: Uint8Array): { cpu: number; commands: number[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  expect(view.getUint32(0, true)).toBe(MH_MAGIC_64);
  const commands: number[] = [];
  for (let i = 0, at = 32; i < view.getUint32(16, true); i++, at += view.getUint32(at + 4, true))
    commands.push(view.getUint32(at, true));
  return { cpu: view.getInt32(4, true), commands };
}

/** embeddedMachOCpus gives the CPU type of every Mach-O header inside the file after its own (the addon's). */
function embeddedMachOCpus(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const cpus: number[] = [];
  for (let at = bytes.indexOf(0xcf, 4); at !== -1 && at + 8 <= bytes.length; at = bytes.indexOf(0xcf, at + 1))
    if (view.getUint32(at, true) === MH_MAGIC_64 && view.getUint32(at + 12, true) === 6)
      cpus.push(view.getInt32(at + 4, true));
  return cpus;
}

test.skipIf(!Bun.which("npm"))(
  "the darwin-arm64 archive holds a signed arm64 binary whose embedded libSQL addon is arm64",
  async () => {
    const archive = await buildArchive(darwinArm64, dir);
    expect(await Bun.spawn(["tar", "-xzf", archive, "-C", dir]).exited).toBe(0);
    const bytes = await Bun.file(join(dir, `hookd-${VERSION}-darwin-arm64`, "hookd")).bytes();
    const binary = machO(bytes);
    expect(binary.cpu).toBe(CPU_TYPE_ARM64);
    expect(binary.commands).toContain(LC_CODE_SIGNATURE);
    // The addon is a Mach-O shared library (file type 6, MH_DYLIB) inside the executable.
    const addons = embeddedMachOCpus(bytes);
    expect(addons.length).toBeGreaterThan(0);
    expect(new Set(addons)).toEqual(new Set([CPU_TYPE_ARM64]));
  },
  300_000,
);
