// The shape every cross-cutting concern of the HTTP surface takes: given the request and the
// rest of the chain, answer (perhaps by calling next and changing its answer).

/** Middleware wraps the handling of one request. */
export type Middleware = (req: Request, next: () => Promise<Response>) => Promise<Response>;
