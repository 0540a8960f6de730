// Benchmark receiver, run as its own process so it does not share hookd's event loop.
// Counts requests, keeps the first arrival per webhook-id, and measures write-to-receipt
// latency from the record's `created` time in the payload.
const port = Number(process.argv[2] ?? 0);
let count = 0;
let firstAt = 0;
let lastAt = 0;
const seen = new Set<string>();
let duplicates = 0;
let latencies: number[] = [];

const server = Bun.serve({
  hostname: "127.0.0.1",
  port,
  async fetch(req) {
    const url = new URL(req.url);
    if (url.pathname === "/stats") {
      return Response.json({ count, unique: seen.size, duplicates, firstAt, lastAt, latencies });
    }
    if (url.pathname === "/reset") {
      count = duplicates = firstAt = lastAt = 0;
      seen.clear();
      latencies = [];
      return new Response("ok");
    }
    const now = Date.now();
    const body = await req.text();
    count++;
    if (!firstAt) firstAt = now;
    lastAt = now;
    const id = req.headers.get("webhook-id");
    if (id) {
      if (seen.has(id)) duplicates++;
      seen.add(id);
    }
    if (url.pathname === "/latency" && body) {
      const created = Date.parse(JSON.parse(body).record?.created ?? "");
      if (!Number.isNaN(created)) latencies.push(now - created);
    }
    return new Response("ok");
  },
});
console.log(JSON.stringify({ port: server.port }));
