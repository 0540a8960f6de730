// Compiles a parsed condition to an SQL expression for a capture trigger. Every field name
// comes from the collection's schema and is quoted by quoteIdent; every literal is quoted by
// quoteLiteral or printed from a JavaScript number: no text of the condition reaches the SQL.
// Only comparisons, IS, instr, lower and guarded json_extract are used — none of them can
// raise an error at write time — and only the row (NEW/OLD) is read.
import { quoteIdent, quoteLiteral } from "../lib/sql_text";
import { ConditionError, parseCondition, type CompareOp, type Condition, type Operand } from "./condition_parse";
import { SYSTEM_COLUMNS, type Collection, type Field, type TriggerAction } from "./collection_types";

/** ConditionScope says what field names and old.<field> read: NEW or OLD (a table for record filters), or nothing on create. */
export interface ConditionScope {
  row: string;
  old: "OLD" | null;
  /** Known names; null for id, created and updated. */
  fields: Map<string, Field | null>;
}

/** conditionScope gives the scope of a trigger's condition: on delete field names mean the deleted row. */
export function conditionScope(collection: Collection, action: TriggerAction): ConditionScope {
  const fields = new Map<string, Field | null>(SYSTEM_COLUMNS.map((c) => [c, null]));
  for (const f of collection.schema) fields.set(f.name, f);
  return { row: action === "delete" ? "OLD" : "NEW", old: action === "create" ? null : "OLD", fields };
}

/** compileConditionText parses and compiles in one step; it throws ConditionError for any bad condition. */
export function compileConditionText(text: string, scope: ConditionScope): string {
  return compileCondition(parseCondition(text), scope);
}

/** compileCondition turns a tree into an SQL boolean expression; an unknown field is a ConditionError. */
export function compileCondition(c: Condition, scope: ConditionScope): string {
  if (c.kind === "compare") return compare(c.op, operand(c.left, scope), operand(c.right, scope));
  return joinTerms(
    c.terms.map((t) => compileCondition(t, scope)),
    c.kind === "and" ? "AND" : "OR",
  );
}

// SQLite's parser overflows at about 80 nested parentheses, and its expression trees may be
// at most 1,000 deep: chains are written flat (no nesting for the parser), in groups of at
// most CHAIN_GROUP terms (so the tree stays shallow however many terms).
const CHAIN_GROUP = 64;

/** joinTerms joins SQL boolean terms with AND or OR, in parentheses, shallow for SQLite's parser and expression depth limits. */
export function joinTerms(terms: string[], joiner: "AND" | "OR"): string {
  if (terms.length <= CHAIN_GROUP) return `(${terms.join(` ${joiner} `)})`;
  const groups: string[] = [];
  for (let i = 0; i < terms.length; i += CHAIN_GROUP) groups.push(joinTerms(terms.slice(i, i + CHAIN_GROUP), joiner));
  return joinTerms(groups, joiner);
}

// = and != treat null as a value (IS / IS NOT), so `status != 'x'` holds for a missing
// status and `old.status != status` holds on create. The other comparisons are false
// when a side is null; "does not contain" is true for a missing value. Operands are single
// SQL terms and comparisons bind tighter than AND and OR, so no parentheses are needed.
function compare(op: CompareOp, l: string, r: string): string {
  switch (op) {
    case "=":
      return `${l} IS ${r}`;
    case "!=":
      return `${l} IS NOT ${r}`;
    case "~":
      return `instr(lower(${l}), lower(${r})) > 0`;
    case "!~":
      return `coalesce(instr(lower(${l}), lower(${r})), 0) = 0`;
    default:
      return `${l} ${op} ${r}`;
  }
}

function operand(o: Operand, scope: ConditionScope): string {
  switch (o.kind) {
    case "string":
      return quoteLiteral(o.value);
    case "number":
      return String(o.value); // printed by JavaScript: digits, ".", "e", "+" or "-" only
    case "bool":
      return o.value ? "1" : "0"; // bool columns hold 0/1
    case "null":
      return "NULL";
    case "field": {
      if (!scope.fields.has(o.name)) {
        const known = [...scope.fields.keys()].join(", ");
        throw new ConditionError(`unknown field "${o.name}" at character ${o.pos}; known fields: ${known}`, o.pos);
      }
      const field = scope.fields.get(o.name)!;
      if (o.old && scope.old === null) return "NULL";
      const column = `${o.old ? scope.old : scope.row}.${quoteIdent(o.name)}`;
      return field?.type === "json" ? jsonValue(column) : column;
    }
  }
}

// A json column holds JSON text ("draft" with its quotes, true as true); compare its value
// instead. Only text that json_valid accepts reaches json_extract, which would otherwise
// raise an error — and fail the write — on malformed JSON written by raw SQL.
function jsonValue(column: string): string {
  return `CASE WHEN typeof(${column}) = 'text' AND json_valid(${column}) THEN json_extract(${column}, '$') ELSE ${column} END`;
}
