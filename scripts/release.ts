// `npm run release`: dist/release/hookd-<version>-<os>-<arch>.tar.gz for linux-x64, linux-arm64,
// darwin-x64 and darwin-arm64, and SHA256SUMS beside them. Each binary is cross-compiled with
// that platform's Bun and embeds that platform's libSQL addon; both are fetched with `npm pack`
// (the versions node_modules already pins) into a temporary folder, never installed, so the
// project's node_modules stays the one `npm ci` made. An archive holds one folder: the binary,
// README, LICENSE, CHANGELOG and docs/.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { VERSION } from "../src/version";
import { buildBinary } from "./build_binary";

const ROOT = join(import.meta.dir, "..");
export const RELEASE_DIR = join(ROOT, "dist", "release");

/** Platform is one archive: Bun's name for the target, and the npm packages of its Bun and libSQL addon. */
export interface Platform {
  os: "linux" | "darwin";
  arch: "x64" | "arm64";
  bunTarget: Bun.Build.CompileTarget;
  bunPackage: string;
  libsqlPackage: string;
}

export const PLATFORMS: Platform[] = [
  {
    os: "linux",
    arch: "x64",
    bunTarget: "bun-linux-x64",
    bunPackage: "@oven/bun-linux-x64",
    libsqlPackage: "@libsql/linux-x64-gnu",
  },
  {
    os: "linux",
    arch: "arm64",
    bunTarget: "bun-linux-arm64",
    bunPackage: "@oven/bun-linux-aarch64",
    libsqlPackage: "@libsql/linux-arm64-gnu",
  },
  {
    os: "darwin",
    arch: "x64",
    bunTarget: "bun-darwin-x64",
    bunPackage: "@oven/bun-darwin-x64",
    libsqlPackage: "@libsql/darwin-x64",
  },
  {
    os: "darwin",
    arch: "arm64",
    bunTarget: "bun-darwin-arm64",
    bunPackage: "@oven/bun-darwin-aarch64",
    libsqlPackage: "@libsql/darwin-arm64",
  },
];

/** archiveName is the file a platform's archive is written to (its folder is the same without .tar.gz). */
export const archiveName = (p: Platform) => `hookd-${VERSION}-${p.os}-${p.arch}.tar.gz`;

/** libsqlVersion is the addon version the installed libsql package asks for, so every platform gets the same. */
async function libsqlVersion(pkg: string): Promise<string> {
  const manifest = await Bun.file(join(ROOT, "node_modules/libsql/package.json")).json();
  const version = manifest.optionalDependencies?.[pkg];
  if (!version) throw new Error(`node_modules/libsql does not name ${pkg}; is npm ci done?`);
  return version;
}

async function run(cmd: string[], cwd: string): Promise<string> {
  const proc = Bun.spawn(cmd, { cwd, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) throw new Error(`${cmd.join(" ")} failed (${code}): ${err.trim()}`);
  return out;
}

/** fetchPackage unpacks an npm package into a folder of `work` with `npm pack` and answers that folder. */
export async function fetchPackage(name: string, version: string, work: string): Promise<string> {
  const out = await run(["npm", "pack", "--silent", `${name}@${version}`, "--pack-destination", work], work);
  const tarball = join(work, out.trim().split("\n").pop()!);
  const dir = join(work, basename(tarball, ".tgz"));
  mkdirSync(dir);
  await run(["tar", "-xzf", tarball, "-C", dir, "--strip-components=1"], work);
  rmSync(tarball);
  return dir;
}

/** buildArchive cross-compiles hookd for `p` and writes its archive into `outDir`; it answers the archive's path. */
export async function buildArchive(p: Platform, outDir: string): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), `hookd-release-${p.os}-${p.arch}-`));
  try {
    const bun = await fetchPackage(p.bunPackage, Bun.version, work);
    const addon = await fetchPackage(p.libsqlPackage, await libsqlVersion(p.libsqlPackage), work);
    const folder = basename(archiveName(p), ".tar.gz");
    const stage = join(work, "stage", folder);
    mkdirSync(stage, { recursive: true });
    await buildBinary({
      outfile: join(work, "build", "hookd"),
      target: p.bunTarget,
      executablePath: join(bun, "bin", "bun"),
      libsqlAddon: join(addon, "index.node"),
    });
    await run(["cp", join(work, "build", "hookd"), stage], ROOT);
    await run(["cp", "-r", "README.md", "LICENSE", "CHANGELOG.md", "docs", stage], ROOT);
    const archive = join(outDir, archiveName(p));
    // Owner and order fixed, so the archive lists the same way on every machine.
    const tar = ["tar", "--sort=name", "--owner=0", "--group=0", "--numeric-owner", "-cf", "-", folder];
    const proc = Bun.spawn(tar, { cwd: join(work, "stage"), stdout: "pipe", stderr: "inherit" });
    const bytes = new Uint8Array(await new Response(proc.stdout).arrayBuffer());
    if ((await proc.exited) !== 0) throw new Error(`tar failed for ${folder}`);
    await Bun.write(archive, Bun.gzipSync(bytes, { level: 9 }));
    return archive;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** sha256File answers a file's SHA-256 in hex. */
export async function sha256File(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk);
  return hasher.digest("hex");
}

/** writeChecksums writes SHA256SUMS in `dir` for the archives there, in the form `sha256sum -c` reads. */
export async function writeChecksums(dir: string): Promise<string> {
  const archives = readdirSync(dir)
    .filter((f) => f.endsWith(".tar.gz"))
    .sort();
  const lines = await Promise.all(archives.map(async (f) => `${await sha256File(join(dir, f))}  ${f}\n`));
  const path = join(dir, "SHA256SUMS");
  await Bun.write(path, lines.join(""));
  return path;
}

if (import.meta.main) {
  rmSync(RELEASE_DIR, { recursive: true, force: true });
  mkdirSync(RELEASE_DIR, { recursive: true });
  try {
    // One at a time: each build holds a 100 MB binary in memory, and the machine has 2 cores.
    for (const p of PLATFORMS) console.log(`built ${basename(await buildArchive(p, RELEASE_DIR))}`);
    await writeChecksums(RELEASE_DIR);
    console.log(`wrote ${join("dist", "release", "SHA256SUMS")}`);
  } catch (err) {
    console.error(`release: ${(err as Error).message}`);
    process.exit(1);
  }
}
