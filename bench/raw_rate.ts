// The baseline: how many requests per second the same HTTP client (ofetch on Bun) gets
// from the receiver over loopback, at the same concurrency hookd uses, with nothing stored.
import { ofetch } from "ofetch";

/** rawLoopbackRate sends `total` POSTs with `concurrency` in flight and answers requests/s. */
export async function rawLoopbackRate(url: string, total: number, concurrency: number): Promise<number> {
  const body = JSON.stringify({ id: "x", action: "create", collection: "bench", record: { n: 1 } });
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      next++;
      await ofetch.raw(url, {
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
        retry: 0,
        redirect: "manual",
        ignoreResponseError: true,
        responseType: "text",
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return total / ((performance.now() - started) / 1000);
}
