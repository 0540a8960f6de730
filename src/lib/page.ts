import { BadRequestError } from "../errors";

/** Page is the listing shape every paged endpoint answers. */
export interface Page<T> {
  page: number;
  perPage: number;
  totalItems: number;
  totalPages: number;
  items: T[];
}

/** PageRequest is a validated page number and size. */
export interface PageRequest {
  page: number;
  perPage: number;
}

/** PAGE_DEFAULTS are the page size when none is asked for, and the largest one answered. */
export const PAGE_DEFAULTS = { perPage: 30, max: 500 } as const;

/** parsePageRequest reads page/perPage (strings or numbers), applying the default and the cap. */
export function parsePageRequest(
  page: unknown,
  perPage: unknown,
  defaults: { perPage: number; max: number } = PAGE_DEFAULTS,
): PageRequest {
  return {
    page: positiveInt(page, "page", 1, Number.MAX_SAFE_INTEGER),
    perPage: positiveInt(perPage, "perPage", defaults.perPage, defaults.max),
  };
}

function positiveInt(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined || value === null || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new BadRequestError(`${name} must be a whole number of at least 1, got "${String(value)}"`);
  return Math.min(n, max);
}

/** toPage assembles a page from its items and the total count. */
export function toPage<T>(req: PageRequest, totalItems: number, items: T[]): Page<T> {
  return { page: req.page, perPage: req.perPage, totalItems, totalPages: Math.ceil(totalItems / req.perPage), items };
}

/** pageOffset is the number of rows to skip for a page. */
export function pageOffset(req: PageRequest): number {
  return (req.page - 1) * req.perPage;
}
