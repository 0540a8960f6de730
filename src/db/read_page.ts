// Reading one page of a listing in chunks, counting each chunk against the request's answer
// budget before the next is read. A page of small rows is one statement, as before; a page of
// big rows is read about CHUNK_BYTES at a time, so a refusal comes within a chunk of the
// limit and the event loop is free between chunks. Chunks are separate reads: a row written
// meanwhile may shift one across a chunk boundary, as it may across pages.
import type { AnswerBudget } from "../lib/answer_budget";
import { pageOffset, skippedTotal, toPage, type Page, type PageRequest } from "../lib/page";
import type { Db, InStatement, Row, Value } from "./client";

/** FIRST_CHUNK_ROWS covers the default page (30) in one statement; rows' sizes are unknown until then. */
const FIRST_CHUNK_ROWS = 32;
/** CHUNK_BYTES is what each later chunk aims to read, judged by the rows read so far. */
const CHUNK_BYTES = 1024 * 1024;

/** PageQuery is a listing: how to count its rows (none: totals answer -1), and how to select `limit` of them from `offset`. */
export interface PageQuery {
  count?: InStatement;
  rows(limit: number, offset: number): InStatement;
}

/** readPage answers the requested page, its rows counted against the budget as they are read. */
export function readPage<T>(
  db: Db,
  query: PageQuery,
  req: PageRequest,
  budget: AnswerBudget,
  toItem: (row: Row) => T,
): Promise<Page<T>> {
  return budget.inTurn(async () => {
    let offset = pageOffset(req);
    let wanted = Math.min(req.perPage, FIRST_CHUNK_ROWS);
    const [count, first] = query.count
      ? await db.batch([query.count, query.rows(wanted, offset)], "read")
      : [undefined, await db.execute(query.rows(wanted, offset))];
    const items: T[] = [];
    let rows = first!.rows;
    for (;;) {
      const bytes = rows.reduce((sum, row) => sum + rowBytes(row), 0);
      budget.charge(bytes);
      for (const row of rows) items.push(toItem(row));
      offset += rows.length;
      const left = req.perPage - items.length;
      if (rows.length < wanted || left === 0) break;
      // Enough rows for about CHUNK_BYTES, and no more than would cross the limit by one row.
      const perRow = Math.max(1, bytes / rows.length);
      wanted = Math.max(1, Math.min(left, Math.floor(Math.min(CHUNK_BYTES, budget.remaining) / perRow) + 1));
      rows = (await db.execute(query.rows(wanted, offset))).rows;
    }
    return count ? toPage(req, Number(count.rows[0]!.n), items) : skippedTotal(req, items);
  });
}

/** readAll reads a whole unpaged list (webhooks, cron jobs, keys) the way readPage reads a page: in chunks of `ordered` (a SELECT with its ORDER BY), against the budget. */
export async function readAll<T>(db: Db, ordered: string, budget: AnswerBudget, toItem: (row: Row) => T): Promise<T[]> {
  const rows = (limit: number, offset: number) => ({ sql: `${ordered} LIMIT ? OFFSET ?`, args: [limit, offset] });
  return (await readPage(db, { rows }, { page: 1, perPage: Number.MAX_SAFE_INTEGER }, budget, toItem)).items;
}

/** rowBytes is about what a row adds to a JSON answer: each column's name and value (text as UTF-8). */
export function rowBytes(row: Row): number {
  let bytes = 2;
  for (const key in row) bytes += key.length + 4 + valueBytes(row[key]!);
  return bytes;
}

// A blob (an ArrayBuffer from a server, a Buffer from an embedded file) counts as base64.
function valueBytes(v: Value | Uint8Array): number {
  if (typeof v === "string") return Buffer.byteLength(v);
  if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return Math.ceil(v.byteLength / 3) * 4;
  return v === null ? 4 : 24;
}
