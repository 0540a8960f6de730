// How many bytes one answer may still grow by, counted while its rows are read rather than
// after it is built: a page of big rows is refused as it crosses the limit, before the rest is
// read. One budget per request; its reads take turns, so each sees what the others used.
import { AnswerTooLargeError } from "../errors";

/** UNLIMITED reads whole lists for hookd's own use (the cron scheduler), where no answer is built. */
export const UNLIMITED = Number.POSITIVE_INFINITY;

/** AnswerBudget counts the bytes an answer has read so far and refuses past its limit. */
export class AnswerBudget {
  private used = 0;
  private turn: Promise<unknown> = Promise.resolve();

  /** remedy is what the refusal tells the caller to do instead (AnswerTooLargeError's default: a smaller page). */
  constructor(
    readonly limit: number,
    private readonly remedy?: string,
  ) {}

  /** exceeded is true once a charge went past the limit; every later read is refused. */
  get exceeded(): boolean {
    return this.used > this.limit;
  }

  /** remaining is how many bytes may still be read. */
  get remaining(): number {
    return Math.max(0, this.limit - this.used);
  }

  /** charge adds bytes to the answer and throws AnswerTooLargeError once it is over the limit. */
  charge(bytes: number): void {
    this.used += bytes;
    if (this.exceeded) throw new AnswerTooLargeError(this.limit, this.remedy);
  }

  /**
   * inTurn runs one read after the request's earlier reads have finished (20 aliases of a list
   * would otherwise all read at once, each before any had counted), refusing it if the answer
   * is already over the limit.
   */
  inTurn<T>(read: () => Promise<T>): Promise<T> {
    const run = this.turn.then(() => {
      if (this.exceeded) throw new AnswerTooLargeError(this.limit, this.remedy);
      return read();
    });
    this.turn = run.catch(() => {});
    return run;
  }
}
