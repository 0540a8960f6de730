// Starting this very process again with more environment variables, for settings a runtime
// reads only at startup. execve(2) replaces the program in place: the same PID, the same open
// standard streams, no second process in front (which would stand between a supervisor's
// signals and the server). Linux with glibc only (/proc/self/exe and cmdline name the running
// binary and its real arguments, which Bun rewrites in process.argv inside a compiled binary);
// elsewhere, or if anything fails, the caller simply goes on as it is.
import { dlopen, FFIType, ptr } from "bun:ffi";
import { existsSync, readFileSync } from "node:fs";

/** execSelfWith replaces this process by itself with `extraEnv` added; it returns only when that could not be done. */
export function execSelfWith(extraEnv: Record<string, string>): void {
  if (!existsSync("/proc/self/exe")) return;
  try {
    // The bytes as the process got them (an argument or value need not be UTF-8).
    const argv = nulSeparated(readFileSync("/proc/self/cmdline"));
    const env = nulSeparated(readFileSync("/proc/self/environ")).concat(
      Object.entries(extraEnv).map(([k, v]) => Buffer.from(`${k}=${v}`)),
    );
    const libc = dlopen("libc.so.6", {
      execve: { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
    });
    const path = cString(Buffer.from("/proc/self/exe"));
    const [argvArray, argvKeep] = cStringArray(argv);
    const [envArray, envKeep] = cStringArray(env);
    libc.symbols.execve(ptr(path), ptr(argvArray), ptr(envArray));
    // Still here: execve failed. (Naming the buffers keeps them alive across the call.)
    void [path, argvKeep, envKeep];
    libc.close();
  } catch {
    // No FFI, no libc.so.6: nothing to do.
  }
}

/** nulSeparated splits a /proc list (each item ends with a NUL byte). */
function nulSeparated(bytes: Buffer): Buffer[] {
  const items: Buffer[] = [];
  for (let start = 0, end = bytes.indexOf(0); end >= 0; start = end + 1, end = bytes.indexOf(0, start))
    items.push(bytes.subarray(start, end));
  return items;
}

function cString(bytes: Buffer): Buffer {
  return Buffer.concat([bytes, Buffer.from([0])]);
}

/** cStringArray answers a NULL-terminated array of pointers to C strings, and the strings it points to. */
function cStringArray(items: Buffer[]): [BigUint64Array, Buffer[]] {
  const strings = items.map(cString);
  const array = new BigUint64Array(strings.length + 1);
  for (const [i, s] of strings.entries()) array[i] = BigInt(ptr(s));
  return [array, strings];
}
