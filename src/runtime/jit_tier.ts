// Which JavaScriptCore tier runs hookd's JavaScript (HOOKD_JIT; docs/decisions/011). The
// optimizing tier (FTL) compiles hot functions on background threads; on a small machine those
// compiles take CPU from deliveries in a process's first minutes and buy nothing measurable
// later. JavaScriptCore reads its options only from the environment, once, at start-up, and
// Bun's compile-time options reach none of them; so `dfg` is applied by starting this same
// program again in place (execve: same PID, open streams and arguments) with
// BUN_JSC_useFTLJIT=0 added to its environment. BUN_JSC_useFTLJIT set by the deployment wins.

/** JIT_TIERS are the tiers HOOKD_JIT accepts: dfg (no FTL) or ftl (JavaScriptCore's default). */
export const JIT_TIERS = ["dfg", "ftl"] as const;
export type JitTier = (typeof JIT_TIERS)[number];

const FTL_OPTION = "BUN_JSC_useFTLJIT";
// A compiled binary's script is a virtual path inside the binary, not an argument to pass again.
const EMBEDDED_SCRIPT = /^(\/\$bunfs\/|[A-Za-z]:[\\/]~BUN[\\/])/;

/** runningTier names the highest tier of this process, from the option the runtime read at start. */
export function runningTier(env: NodeJS.ProcessEnv): JitTier {
  return /^(0|false)$/i.test(env[FTL_OPTION] ?? "") ? "dfg" : "ftl";
}

/**
 * restartForJitTier starts the process again in place with FTL off when HOOKD_JIT is dfg (or
 * unset) and the deployment did not set BUN_JSC_useFTLJIT itself. It returns when nothing needs
 * doing (ftl is what runs anyway; a value that is not a tier is refused by loadConfig), or when
 * the restart cannot be made here: the process then goes on as it is, and says so at start.
 */
export function restartForJitTier(env: NodeJS.ProcessEnv): void {
  if ((env.HOOKD_JIT || "dfg") !== "dfg" || env[FTL_OPTION] !== undefined) return;
  if (typeof process.execve !== "function") return;
  const script = EMBEDDED_SCRIPT.test(process.argv[1] ?? "") ? [] : [process.argv[1]!];
  const args = [process.argv0, ...process.execArgv, ...script, ...process.argv.slice(2)];
  try {
    process.execve(process.execPath, args, { ...env, [FTL_OPTION]: "0" });
  } catch {
    // Not restarted: the `listening` line names the tier that runs, and a warning says why.
  }
}
