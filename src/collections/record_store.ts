// Records of a collection. Each write is one statement or one batch; the table's capture
// triggers enqueue its deliveries in the same transaction, and the deliveriesQueued signal lets the dispatcher
// claim them at once instead of at its next poll (see `written`).
import { ConflictError, NotFoundError } from "../errors";
import type { Result } from "../db/client";
import type { Deps } from "../deps";
import { quoteIdent } from "../lib/sql_text";
import { readPage } from "../db/read_page";
import type { AnswerBudget } from "../lib/answer_budget";
import type { Page, PageRequest } from "../lib/page";
import type { Collection } from "./collection_types";
import { rowToRecord, toColumnValue, validateRecordData } from "./record_values";
import { forgetCollections } from "./catalogue_cache";
import { compileListQuery, type ListQuery, pickFields, recordTarget } from "./list_query";

type RecordDeps = Pick<Deps, "db" | "clock" | "signals" | "live">;
type Record_ = Record<string, unknown>;

/** ListOptions are a listing's compiled filter, order and fields, and whether to skip counting. */
export interface ListOptions {
  query?: ListQuery;
  /** PocketBase's skipTotal: no count (totalItems and totalPages answer -1), one query less. */
  skipTotal?: boolean;
}

/** listRecords answers one page of the records matching the filter, in the requested order (newest first by default), within the answer budget. */
export async function listRecords(
  deps: RecordDeps,
  c: Collection,
  req: PageRequest,
  budget: AnswerBudget,
  { query = {}, skipTotal = false }: ListOptions = {},
): Promise<Page<Record_>> {
  const { where, orderBy, fields } = compileListQuery(recordTarget(c), query);
  const table = quoteIdent(c.name);
  const listing = {
    count: skipTotal ? undefined : `SELECT count(*) AS n FROM ${table} ${where}`,
    rows: (limit: number, offset: number) => ({
      sql: `SELECT * FROM ${table} ${where} ${orderBy} LIMIT ? OFFSET ?`,
      args: [limit, offset],
    }),
  };
  return readPage(deps.db, listing, req, budget, (r) => pickFields(rowToRecord(c, r), fields));
}

/** getRecord answers one record or throws NotFoundError. */
export async function getRecord(deps: RecordDeps, c: Collection, id: string): Promise<Record_> {
  const rs = await deps.db.execute({ sql: `SELECT * FROM ${quoteIdent(c.name)} WHERE id = ?`, args: [id] });
  if (!rs.rows[0]) throw new NotFoundError(`record "${id}" in collection "${c.name}"`);
  return rowToRecord(c, rs.rows[0]);
}

function columnsOf(c: Collection, data: Record_) {
  const byName = new Map(c.schema.map((f) => [f.name, f]));
  const names = Object.keys(data);
  return { names, values: names.map((n) => toColumnValue(byName.get(n), data[n])) };
}

/** createRecord validates and inserts a record. */
export async function createRecord(deps: RecordDeps, c: Collection, body: unknown): Promise<Record_> {
  const data = validateRecordData(c, body, false);
  const now = deps.clock.now().toISOString();
  const { names, values } = columnsOf(c, { ...data, created: now, updated: now });
  const placeholders = names.map(() => "?").join(", ");
  try {
    const rs = await written(
      deps,
      deps.db.execute({
        sql: `INSERT INTO ${quoteIdent(c.name)} (${names.map(quoteIdent).join(", ")}) VALUES (${placeholders}) RETURNING *`,
        args: values,
      }),
    );
    const record = rowToRecord(c, rs.rows[0]!);
    deps.live.records.publish({ action: "create", collection: c.name, record, oldRecord: null });
    return record;
  } catch (err) {
    if (/UNIQUE constraint failed/i.test(String(err)))
      throw new ConflictError(`a record with id "${String(data.id)}" already exists`);
    throw staleDefinition(deps, c, err);
  }
}

/**
 * staleDefinition turns "no such column/table" — the collection was changed by another
 * instance since this one cached its definition — into a 409 to retry, and forgets the cache.
 */
function staleDefinition(deps: RecordDeps, c: Collection, err: unknown): unknown {
  if (!/no such (column|table)|has no column named/i.test(String(err))) return err;
  forgetCollections(deps.db);
  return new ConflictError(`collection "${c.name}" was changed meanwhile; send the request again`);
}

/**
 * written wakes the dispatcher once the write has committed, when a claim sees it, and answers
 * the write. Not sooner: on an embedded file the claim would join the write's own transaction
 * and hold its answer back (docs/decisions/003-one-total-db.md).
 */
function written<T>(deps: RecordDeps, write: Promise<T>): Promise<T> {
  return write.then((result) => {
    deps.signals.deliveriesQueued.emit();
    return result;
  });
}

function updateStatement(c: Collection, data: Record_, id: string, now: string) {
  const { names, values } = columnsOf(c, { ...data, updated: now });
  return {
    sql: `UPDATE ${quoteIdent(c.name)} SET ${names.map((n) => `${quoteIdent(n)} = ?`).join(", ")} WHERE id = ? RETURNING *`,
    args: [...values, id],
  };
}

/** updateRecord validates and applies a partial update. */
export async function updateRecord(deps: RecordDeps, c: Collection, id: string, body: unknown): Promise<Record_> {
  const data = validateRecordData(c, body, true);
  const update = updateStatement(c, data, id, deps.clock.now().toISOString());
  // Only while someone watches this collection live: read the row as it was, in the same transaction.
  const watched = deps.live.records.watching(c.name);
  const write: Promise<(Result | null)[]> = watched
    ? deps.db.batch([selectStatement(c, id), update], "write")
    : deps.db.execute(update).then((r) => [null, r]);
  const [before, rs] = await written(deps, write).catch((err) => Promise.reject(staleDefinition(deps, c, err)));
  if (!rs!.rows[0]) throw new NotFoundError(`record "${id}" in collection "${c.name}"`);
  const record = rowToRecord(c, rs!.rows[0]);
  if (watched)
    deps.live.records.publish({
      action: "update",
      collection: c.name,
      record,
      oldRecord: before?.rows[0] ? rowToRecord(c, before.rows[0]) : null,
    });
  return record;
}

/** deleteRecord removes a record. */
export async function deleteRecord(deps: RecordDeps, c: Collection, id: string): Promise<void> {
  const watched = deps.live.records.watching(c.name);
  const rs = await written(
    deps,
    deps.db.execute({
      sql: `DELETE FROM ${quoteIdent(c.name)} WHERE id = ?${watched ? " RETURNING *" : ""}`,
      args: [id],
    }),
  );
  if (rs.rowsAffected === 0) throw new NotFoundError(`record "${id}" in collection "${c.name}"`);
  if (watched && rs.rows[0]) publishDelete(deps, c, rowToRecord(c, rs.rows[0]));
}

function selectStatement(c: Collection, id: string) {
  return { sql: `SELECT * FROM ${quoteIdent(c.name)} WHERE id = ?`, args: [id] };
}

function publishDelete(deps: RecordDeps, c: Collection, old: Record_): void {
  deps.live.records.publish({ action: "delete", collection: c.name, record: old, oldRecord: old });
}

/** bulkUpdateRecords applies the same update to every listed record in one transaction; answers the ids that existed. */
export async function bulkUpdateRecords(
  deps: RecordDeps,
  c: Collection,
  ids: string[],
  body: unknown,
): Promise<string[]> {
  const data = validateRecordData(c, body, true);
  if (ids.length === 0) return [];
  const now = deps.clock.now().toISOString();
  const watched = deps.live.records.watching(c.name);
  const statements = ids.flatMap((id) =>
    watched ? [selectStatement(c, id), updateStatement(c, data, id, now)] : [updateStatement(c, data, id, now)],
  );
  const results = await written(deps, deps.db.batch(statements, "write"));
  const step = watched ? 2 : 1;
  if (watched) {
    ids.forEach((_, i) => {
      const [before, after] = [results[i * 2]!.rows[0], results[i * 2 + 1]!.rows[0]];
      if (after)
        deps.live.records.publish({
          action: "update",
          collection: c.name,
          record: rowToRecord(c, after),
          oldRecord: before ? rowToRecord(c, before) : null,
        });
    });
  }
  return ids.filter((_, i) => results[i * step + step - 1]!.rows.length > 0);
}

/** bulkDeleteRecords deletes every listed record in one transaction; answers the ids that existed. */
export async function bulkDeleteRecords(deps: RecordDeps, c: Collection, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const watched = deps.live.records.watching(c.name);
  const results = await written(
    deps,
    deps.db.batch(
      ids.map((id) => ({
        sql: `DELETE FROM ${quoteIdent(c.name)} WHERE id = ?${watched ? " RETURNING *" : ""}`,
        args: [id],
      })),
      "write",
    ),
  );
  if (watched) for (const r of results) if (r.rows[0]) publishDelete(deps, c, rowToRecord(c, r.rows[0]));
  return ids.filter((_, i) => results[i]!.rowsAffected > 0);
}
