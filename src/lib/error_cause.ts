// An error's reason in one line, for messages an operator reads: the system's code in words
// when there is one ("connection refused (ECONNREFUSED)"), else the first line of the message.

const IN_WORDS: Record<string, string> = {
  EACCES: "permission denied",
  EADDRINUSE: "the port is in use by another process",
  EADDRNOTAVAIL: "the address is not one of this machine's",
  ECONNREFUSED: "connection refused",
  ECONNRESET: "the connection was reset",
  EEXIST: "a file is in the way",
  EISDIR: "it is a directory",
  ENOENT: "no such file or directory",
  ENOTDIR: "a part of the path is not a directory",
  ENOTFOUND: "the host name does not resolve",
  EROFS: "read-only file system",
  ETIMEDOUT: "timed out",
};

/** errorCause describes err in one line, without a stack. */
export function errorCause(err: unknown): string {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  const words = typeof code === "string" ? IN_WORDS[code] : undefined;
  if (words) return `${words} (${code})`;
  const first = String(message ?? err)
    .split("\n")[0]!
    .trim();
  return first || "unknown error";
}
