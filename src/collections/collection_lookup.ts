// Reading the catalogue of collections: one page of them, or one by name (cached briefly,
// catalogue_cache.ts). Definitions stored by older releases read as today's.
import type { Row } from "../db/client";
import type { Deps } from "../deps";
import { NotFoundError } from "../errors";
import { pageOffset, skippedTotal, toPage, type Page, type PageRequest } from "../lib/page";
import { cachedCollection } from "./catalogue_cache";
import type { Collection, Field } from "./collection_types";
import { COLLECTIONS_TARGET, compileListQuery, type ListQuery } from "./list_query";

type ReadDeps = Pick<Deps, "db">;

function rowToCollection(row: Row): Collection {
  const options = JSON.parse(String(row.options));
  return {
    id: String(row.id),
    name: String(row.name),
    type: "base",
    schema: (JSON.parse(String(row.schema)) as Field[]).map(withFieldId),
    // A trigger stored before pausing existed reads as not paused.
    options: {
      ...options,
      triggers: (options.triggers ?? []).map((t: Collection["options"]["triggers"][number]) => ({
        ...t,
        paused: t.paused ?? false,
      })),
    },
    created: String(row.created),
    updated: String(row.updated),
  };
}

// Fields stored before fields had ids get their lower-cased name as id: stable until the first
// update, which stores it (a rename changes the name, never the id).
function withFieldId(f: Field): Field {
  return f.id ? f : { ...f, id: f.name.toLowerCase() };
}

/** listCollections answers one page of collections, filtered and sorted as asked (oldest first by default); skipTotal answers -1 totals without counting. */
export async function listCollections(
  { db }: ReadDeps,
  req: PageRequest,
  query: ListQuery = {},
  skipTotal = false,
): Promise<Page<Collection>> {
  const { where, orderBy } = compileListQuery(COLLECTIONS_TARGET, query);
  const select = {
    sql: `SELECT * FROM _collections ${where} ${orderBy} LIMIT ? OFFSET ?`,
    args: [req.perPage, pageOffset(req)],
  };
  const [count, rows] = skipTotal
    ? [null, await db.execute(select)]
    : await db.batch([`SELECT count(*) AS n FROM _collections ${where}`, select], "read");
  const items = rows!.rows.map(rowToCollection);
  return count ? toPage(req, Number(count.rows[0]!.n), items) : skippedTotal(req, items);
}

/** findCollection answers the collection with that name, or undefined; definitions are cached briefly (catalogue_cache.ts), so treat them as read-only. */
export async function findCollection({ db }: ReadDeps, name: string): Promise<Collection | undefined> {
  return cachedCollection(db, name, async () => {
    const rs = await db.execute({ sql: "SELECT * FROM _collections WHERE name = ?", args: [name] });
    return rs.rows[0] ? rowToCollection(rs.rows[0]) : undefined;
  });
}

/** getCollection answers the collection with that name or throws NotFoundError. */
export async function getCollection(deps: ReadDeps, name: string): Promise<Collection> {
  const c = await findCollection(deps, name);
  if (!c) throw new NotFoundError(`collection "${name}"`);
  return c;
}
