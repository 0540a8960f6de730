// Field identity across updates, as in PocketBase: every field has a stable id, so a field
// sent with a stored field's id and a new name is that field renamed (its column and data
// kept), while a field sent without an id is matched by name as before.
import type { FieldInput } from "./field_input";
import type { Field } from "./collection_types";

/**
 * resolveFieldIds gives each field of an update (or a create, with nothing stored) its id: the
 * stored field's it matches — by id when the id is one of the stored ones, else by name, case
 * aside, among the stored fields no id claimed — or the id it brings, or a new one.
 */
export function resolveFieldIds(stored: Field[], input: FieldInput[], makeId: () => string): Field[] {
  const byId = new Map(stored.map((f) => [f.id, f]));
  const claimed = new Set(input.flatMap((f) => (f.id !== undefined && byId.has(f.id) ? [f.id] : [])));
  const byName = new Map(stored.filter((f) => !claimed.has(f.id)).map((f) => [f.name.toLowerCase(), f]));
  return input.map(({ id, ...f }): Field => {
    if (id !== undefined && byId.has(id)) return { id, ...f };
    const sameName = byName.get(f.name.toLowerCase());
    if (sameName) {
      byName.delete(f.name.toLowerCase());
      return { id: sameName.id, ...f };
    }
    return { id: id ?? makeId(), ...f };
  });
}

/** FieldChanges is how an update changes the columns: fields dropped, renamed (same id, new name) and added. */
export interface FieldChanges {
  dropped: Field[];
  renamed: { from: Field; to: Field }[];
  added: Field[];
}

/** fieldChanges compares two field lists by id. */
export function fieldChanges(before: Field[], after: Field[]): FieldChanges {
  const beforeById = new Map(before.map((f) => [f.id, f]));
  const afterIds = new Set(after.map((f) => f.id));
  return {
    dropped: before.filter((f) => !afterIds.has(f.id)),
    renamed: after.flatMap((to) => {
      const from = beforeById.get(to.id);
      return from && from.name !== to.name ? [{ from, to }] : [];
    }),
    added: after.filter((f) => !beforeById.has(f.id)),
  };
}
