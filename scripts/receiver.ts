// The quickstart's webhook receiver: listens on 127.0.0.1 at the port given (default 9000),
// answers 200 "ok", and prints every request it gets — request line, headers, a blank line,
// and the body (JSON indented) — so what hookd sends can be read as the README shows it.
export {};

const port = Number(process.argv[2] ?? 9000);

function readable(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

Bun.serve({
  hostname: "127.0.0.1",
  port,
  async fetch(req) {
    const body = await req.text();
    const url = new URL(req.url);
    const lines = [
      `${req.method} ${url.pathname}${url.search}`,
      ...[...req.headers].map(([k, v]) => `${k}: ${v}`),
      "",
      readable(body),
      "",
    ];
    console.log(lines.join("\n"));
    return new Response("ok");
  },
});
console.log(`receiver listening on http://127.0.0.1:${port}, printing every request\n`);
