// A trigger's condition, changed columns and ordering key, checked against the collection's
// fields, and the WHERE clause that lets the capture trigger decide inside the writing
// statement whether a write enqueues anything.
import { fieldError } from "../errors";
import { quoteIdent } from "../lib/sql_text";
import { ConditionError } from "./condition_parse";
import { tokenize } from "./condition_tokens";
import { compileConditionText, conditionScope, joinTerms } from "./condition_sql";
import { SYSTEM_COLUMNS, type Collection, type Trigger } from "./collection_types";

/** checkTriggerRules throws a 400 naming `<key>.<i>.condition`, `.columns` or `.orderingKey` for the first trigger that does not fit the fields. */
export function checkTriggerRules(collection: Collection, key: string): void {
  const names = new Set<string>([...SYSTEM_COLUMNS, ...collection.schema.map((f) => f.name)]);
  collection.options.triggers.forEach((t, i) => {
    const at = `${key}.${i}`;
    if (t.condition) {
      try {
        compileConditionText(t.condition, conditionScope(collection, t.action));
      } catch (err) {
        if (err instanceof ConditionError) throw fieldError(`${at}.condition`, "invalid_condition", err.message);
        throw err;
      }
    }
    if (t.columns) {
      if (t.action !== "update")
        throw fieldError(
          `${at}.columns`,
          "update_only",
          `only update triggers have columns (this one fires on ${t.action})`,
        );
      const unknown = t.columns.find((c) => !names.has(c));
      if (unknown !== undefined)
        throw fieldError(`${at}.columns`, "unknown_field", `collection ${collection.name} has no field "${unknown}"`);
    }
    if (t.orderingKey && t.orderingKey !== "id" && !collection.schema.some((f) => f.name === t.orderingKey)) {
      throw fieldError(
        `${at}.orderingKey`,
        "unknown_field",
        `must be "id" or a field of collection ${collection.name}, not "${t.orderingKey}"`,
      );
    }
  });
}

/** captureFilterSql gives the WHERE clause of a trigger's capture INSERT, or "" when every write fires it. */
export function captureFilterSql(collection: Collection, t: Trigger): string {
  const terms: string[] = [];
  if (t.condition) terms.push(compileConditionText(t.condition, conditionScope(collection, t.action)));
  if (t.columns && t.action === "update")
    terms.push(
      joinTerms(
        t.columns.map((c) => `OLD.${quoteIdent(c)} IS NOT NEW.${quoteIdent(c)}`),
        "OR",
      ),
    );
  return terms.length > 0 ? `WHERE ${terms.join(" AND ")}` : "";
}

/** renameTriggerFields rewrites conditions, columns and ordering keys for renamed fields (old name → new), so a rename keeps its triggers working. */
export function renameTriggerFields(triggers: Trigger[], renames: Map<string, string>): Trigger[] {
  if (renames.size === 0) return triggers;
  return triggers.map((t) => ({
    ...t,
    ...(t.condition ? { condition: renameInCondition(t.condition, renames) } : {}),
    ...(t.columns ? { columns: t.columns.map((c) => renames.get(c) ?? c) } : {}),
    ...(t.orderingKey ? { orderingKey: renames.get(t.orderingKey) ?? t.orderingKey } : {}),
  }));
}

// Only name tokens change, from the last to the first so earlier positions stay right;
// strings that happen to hold a field's name are left alone.
function renameInCondition(text: string, renames: Map<string, string>): string {
  let out = text;
  for (const token of tokenize(text).reverse()) {
    if (token.kind !== "name") continue;
    const old = token.text.startsWith("old.");
    const to = renames.get(old ? token.text.slice(4) : token.text);
    if (to !== undefined)
      out = out.slice(0, token.pos - 1) + (old ? `old.${to}` : to) + out.slice(token.pos - 1 + token.text.length);
  }
  return out;
}
