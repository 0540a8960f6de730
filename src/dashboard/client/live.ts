// GraphQL subscriptions over Server-Sent Events, read with fetch so the token travels in the
// Authorization header (EventSource cannot send headers, and the token must not be in a URL).
// A stream can stay open while its server is gone (a stopping hookd finishes open responses
// before it exits), so while one is open /healthz is asked every PROBE_MS: when that fails the
// stream is dropped, the caller hears "offline", and reconnecting starts at once.
import { authHeaders } from "./api";
import { h, replace } from "./dom";
import { LOG_LIVE_QUERY } from "./log_filters";

/** LiveState is what a subscription's badge says. */
export type LiveState = "connecting" | "live" | "offline";

/** LiveHandlers receive a subscription's events and its connection state. */
export interface LiveHandlers<T> {
  next(data: T): void;
  state(state: LiveState, reason?: string): void;
  /** unavailable: the server refused the operation; no retry will help. */
  unavailable(reason: string): void;
}

const PROBE_MS = 2000;
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 5000;

interface GraphQLResult<T> {
  data?: T | null;
  errors?: { message: string }[];
}

/** subscribe opens the subscription, reconnecting after breaks; the answer closes it. */
export function subscribe<T>(query: string, variables: Record<string, unknown>, on: LiveHandlers<T>): () => void {
  let closed = false;
  let controller: AbortController | null = null;
  let delay = FIRST_DELAY_MS;
  let wake: () => void = () => {};
  const online = () => wake();
  window.addEventListener("online", online);
  const run = async () => {
    on.state("connecting");
    while (!closed) {
      controller = new AbortController();
      const probe = startProbe(controller);
      try {
        const res = await fetch("/graphql", {
          method: "POST",
          headers: { ...authHeaders(), "content-type": "application/json", accept: "text/event-stream" },
          body: JSON.stringify({ query, variables }),
          signal: controller.signal,
        });
        if (!res.ok || !res.headers.get("content-type")?.includes("text/event-stream")) {
          const body = (await res.json().catch(() => null)) as (GraphQLResult<T> & { message?: string }) | null;
          clearInterval(probe);
          return on.unavailable(body?.errors?.[0]?.message ?? body?.message ?? `the server answered ${res.status}`);
        }
        on.state("live");
        delay = FIRST_DELAY_MS;
        const refused = await readEvents(res.body!, on);
        if (refused) return (clearInterval(probe), on.unavailable(refused));
        if (!closed) on.state("offline", "the stream ended");
      } catch (err) {
        if (closed) return clearInterval(probe);
        on.state("offline", (err as Error).message);
      }
      clearInterval(probe);
      await new Promise<void>((resume) => {
        const timer = setTimeout(resume, delay);
        wake = () => (clearTimeout(timer), resume());
      });
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  };
  void run();
  return () => {
    closed = true;
    controller?.abort();
    window.removeEventListener("online", online);
  };
}

/** startProbe aborts the stream when /healthz stops answering. */
function startProbe(stream: AbortController): ReturnType<typeof setInterval> {
  let asking = false;
  return setInterval(async () => {
    if (asking) return;
    asking = true;
    try {
      const res = await fetch("/healthz", { cache: "no-store", signal: AbortSignal.timeout(PROBE_MS) });
      if (!res.ok && res.status !== 503) stream.abort();
    } catch {
      stream.abort();
    } finally {
      asking = false;
    }
  }, PROBE_MS);
}

/** readEvents hands each "next" event to the handler; it answers an error message when the server refused the operation. */
async function readEvents<T>(body: ReadableStream<Uint8Array>, on: LiveHandlers<T>): Promise<string | null> {
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
      const result = JSON.parse(data) as GraphQLResult<T>;
      if (result.errors?.length && !result.data) return result.errors[0]!.message;
      if (result.data) on.next(result.data);
    }
  }
  return null;
}

/** liveBadge is the "● Live" label of a screen; set() shows a subscription's state in it. */
export function liveBadge(): { el: HTMLElement; set(state: LiveState | "unavailable", reason?: string): void } {
  const el = h("span", { class: "live", "data-testid": "live", role: "status" }, "Connecting…");
  return {
    el,
    set(state, reason) {
      el.dataset.state = state;
      el.title = reason ?? "";
      if (state === "live") replace(el, h("span", { class: "dot dot-ok pulse" }), "Live");
      else if (state === "offline") replace(el, h("span", { class: "dot dot-bad" }), "Offline · reconnecting…");
      else if (state === "connecting") replace(el, h("span", { class: "dot dot-warn" }), "Connecting…");
      else replace(el, h("span", { class: "dot dot-muted" }), "Live updates unavailable");
    },
  };
}

/** followDeliveries calls onChange whenever a delivery of one source changes, showing the stream's state on the badge; it answers the stop. */
export function followDeliveries(
  source: "TRIGGER" | "WEBHOOK" | "CRON",
  onChange: () => void,
  badge: ReturnType<typeof liveBadge>,
): () => void {
  return subscribe(
    LOG_LIVE_QUERY,
    { filter: { source } },
    {
      next: () => onChange(),
      state: (state, reason) => badge.set(state, reason),
      unavailable: (reason) => badge.set("unavailable", reason),
    },
  );
}
