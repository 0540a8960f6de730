import { z } from "zod";
import { fieldError } from "../errors";

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

const WHOLE_NUMBER = "must be a whole number of at least 1";

function positiveInt(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined || value === null || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw fieldError(name, "invalid_value", `${WHOLE_NUMBER}, got "${String(value)}"`);
  return Math.min(n, max);
}

const wholeNumber = (description: string) =>
  z.coerce.number().int(WHOLE_NUMBER).min(1, WHOLE_NUMBER).optional().describe(description);

/** PAGE_QUERY are the page/perPage query parameters of every paged listing. */
export const PAGE_QUERY = {
  page: wholeNumber("Page number, from 1"),
  perPage: wholeNumber(
    `Items per page (default ${PAGE_DEFAULTS.perPage}; more than ${PAGE_DEFAULTS.max} answers ${PAGE_DEFAULTS.max})`,
  ),
};

/** toPage assembles a page from its items and the total count. */
export function toPage<T>(req: PageRequest, totalItems: number, items: T[]): Page<T> {
  return { page: req.page, perPage: req.perPage, totalItems, totalPages: Math.ceil(totalItems / req.perPage), items };
}

/** skippedTotal is a page whose totals were not counted (PocketBase's skipTotal): -1 for both. */
export function skippedTotal<T>(req: PageRequest, items: T[]): Page<T> {
  return { page: req.page, perPage: req.perPage, totalItems: -1, totalPages: -1, items };
}

/** pageOffset is the number of rows to skip for a page. */
export function pageOffset(req: PageRequest): number {
  return (req.page - 1) * req.perPage;
}
