// Reading a cron pattern's fields in hookd's own words before croner computes with it: the
// number of fields, and each field's values against its range, named as a person reads them.
// Forms this check does not know (L, W, #) are left to croner.

interface FieldRule {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const SECOND: FieldRule = { name: "second", min: 0, max: 59 };
const FIVE: FieldRule[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  {
    name: "month",
    min: 1,
    max: 12,
    names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
  },
  { name: "day-of-week", min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
];

/** SCHEDULE_HINT says what a pattern looks like. */
export const SCHEDULE_HINT =
  'use 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first, such as "*/5 * * * *"';

/** scheduleFieldProblem names what is wrong with a pattern's fields, or answers null (croner has the last word). */
export function scheduleFieldProblem(pattern: string): string | null {
  const fields = pattern.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5 && fields.length !== 6)
    return `it has ${fields.length} field${fields.length === 1 ? "" : "s"}; ${SCHEDULE_HINT}`;
  const rules = fields.length === 6 ? [SECOND, ...FIVE] : FIVE;
  for (const [i, field] of fields.entries()) {
    const problem = fieldProblem(field, rules[i]!);
    if (problem) return `the ${rules[i]!.name} field "${field}" ${problem}`;
  }
  return null;
}

function fieldProblem(field: string, rule: FieldRule): string | null {
  // Names are taken out first: WED and JUL hold a W and an L.
  const withoutNames = rule.names ? field.toUpperCase().replace(new RegExp(rule.names.join("|"), "g"), "") : field;
  if (/[LW#]/i.test(withoutNames)) return null;
  for (const item of field.split(",")) {
    const [range, step, ...extra] = item.split("/");
    if (extra.length > 0 || range === "") return `is not a value, range or step (as 5, 1-5, */15 or 1,2)`;
    if (step !== undefined && !/^[1-9]\d*$/.test(step))
      return `has a step "${step}" that is not a whole number of at least 1`;
    if (range === "*" || range === "?") continue;
    const ends = range!.split("-");
    if (ends.length > 2) return `has "${range}", which is not a value or a range a-b`;
    for (const end of ends) {
      const value = fieldValue(end, rule);
      if (value === null)
        return `has "${end}", which is not a number${rule.names ? " or a name such as " + rule.names[1] : ""}`;
      if (value < rule.min || value > rule.max) return `has ${value}, outside ${rule.min}-${rule.max}`;
    }
  }
  return null;
}

function fieldValue(text: string, rule: FieldRule): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  const named = rule.names?.indexOf(text.toUpperCase()) ?? -1;
  return named >= 0 ? named + rule.min : null;
}
