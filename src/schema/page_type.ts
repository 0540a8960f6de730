import type { ObjectRef } from "@pothos/core";
import type { Page } from "../lib/page";
import { builder } from "./builder";

/** pageType defines the {page, perPage, totalItems, totalPages, items} object for an item type. */
export function pageType<T>(name: string, item: ObjectRef<any, T> | "JSON") {
  return builder.objectRef<Page<T>>(name).implement({
    fields: (t) => ({
      page: t.exposeInt("page"),
      perPage: t.exposeInt("perPage"),
      totalItems: t.exposeInt("totalItems"),
      totalPages: t.exposeInt("totalPages"),
      items: t.field({ type: [item] as never, resolve: (p) => p.items as never }),
    }),
  });
}
