// GraphQL subscriptions over Server-Sent Events, read with fetch so the token travels in the
// Authorization header (EventSource cannot send headers, and the token must not be in a URL).
import { authHeaders } from "./api";

/** LiveHandlers receive a subscription's events. */
export interface LiveHandlers {
  open(): void;
  next(data: any): void;
  /** unavailable: the server cannot serve this subscription; no retry will help. */
  unavailable(reason: string): void;
  /** interrupted: the stream broke; it is retried with backoff. */
  interrupted(reason: string): void;
}

/** subscribe opens the subscription, reconnecting after breaks; the answer closes it. */
export function subscribe(query: string, variables: Record<string, unknown>, on: LiveHandlers): () => void {
  let closed = false;
  let controller: AbortController | null = null;
  let delay = 1000;
  const run = async () => {
    while (!closed) {
      controller = new AbortController();
      try {
        const res = await fetch("/graphql", {
          method: "POST",
          headers: { ...authHeaders(), "content-type": "application/json", accept: "text/event-stream" },
          body: JSON.stringify({ query, variables }),
          signal: controller.signal,
        });
        if (!res.ok || !res.headers.get("content-type")?.includes("text/event-stream")) {
          const body = await res.json().catch(() => null);
          return on.unavailable(body?.errors?.[0]?.message ?? body?.message ?? `the server answered ${res.status}`);
        }
        on.open();
        delay = 1000;
        const verdict = await readEvents(res.body!, on);
        if (verdict) return on.unavailable(verdict);
        if (!closed) on.interrupted("the stream ended");
      } catch (err) {
        if (closed) return;
        on.interrupted((err as Error).message);
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 30_000);
    }
  };
  void run();
  return () => {
    closed = true;
    controller?.abort();
  };
}

/** readEvents hands each "next" event to the handler; it answers an error message when the server refused the operation. */
async function readEvents(body: ReadableStream<Uint8Array>, on: LiveHandlers): Promise<string | null> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
      let event = "message";
      let data = "";
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data += line.slice(5).trim();
      }
      if (event === "complete") return null;
      if (!data) continue;
      const result = JSON.parse(data);
      if (result.errors?.length && !result.data) return result.errors[0].message;
      if (result.data) on.next(result.data);
    }
  }
  return null;
}
