// Reading a database URL: in-process or a server, the path to open, and a form fit for logs.

/** isEmbedded tells whether the URL is an in-process database (file or memory). */
export function isEmbedded(url: string): boolean {
  return url === ":memory:" || url.startsWith("file:");
}

/** redactDbUrl hides credentials (user:password@, authToken=…) so a database URL can be logged. */
export function redactDbUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/, "//***@").replace(/([?&](?:authToken|auth_token|token)=)[^&]*/gi, "$1***");
}

/** embeddedPath turns file:PATH (query ignored) or :memory: into what the libsql package opens. */
export function embeddedPath(url: string): string {
  return url === ":memory:" ? ":memory:" : url.slice("file:".length).split("?")[0]!;
}
