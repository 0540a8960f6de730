// A real HTTP receiver on 127.0.0.1, port 0, that records every request and answers as told.
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  json: any;
  at: number;
}

/** Answer is what the receiver sends back; delayMs holds the answer (for timeouts), `until` holds it until the test lets go. */
export interface Answer {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  until?: Promise<unknown>;
}

/** Receiver records requests; `respond` decides each answer and may be replaced between attempts. */
export interface Receiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  respond: (req: ReceivedRequest, index: number) => Answer;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  stop(): Promise<void>;
}

/** startReceiver starts a receiver that answers 200 until told otherwise. */
export function startReceiver(): Receiver {
  const requests: ReceivedRequest[] = [];
  const receiver: Receiver = {
    url: "",
    port: 0,
    requests,
    respond: () => ({ status: 200, body: "ok" }),
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline) throw new Error(`receiver got ${requests.length} requests, expected ${count}`);
        await Bun.sleep(5);
      }
      return requests;
    },
    async stop() {
      await server.stop(true);
    },
  };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const body = await req.text();
      let parsed: unknown = undefined;
      try {
        parsed = JSON.parse(body);
      } catch {}
      const entry: ReceivedRequest = {
        method: req.method,
        path: new URL(req.url).pathname,
        headers: Object.fromEntries(req.headers),
        body,
        json: parsed,
        at: Date.now(),
      };
      const index = requests.push(entry) - 1;
      const answer = receiver.respond(entry, index);
      if (answer.delayMs) await Bun.sleep(answer.delayMs);
      if (answer.until) await answer.until;
      return new Response(answer.body ?? "", { status: answer.status ?? 200, headers: answer.headers });
    },
  });
  receiver.port = server.port!;
  receiver.url = `http://127.0.0.1:${server.port}`;
  return receiver;
}
