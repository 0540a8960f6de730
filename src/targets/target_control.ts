// The delivery-control settings of a target (docs/control.md) as the engine uses them: its transform
// compiled, its rate limit and its in-flight cap. Only targets that have one of them get an
// entry, so an attempt to any other target pays one Map lookup for all of this.
import type { Row } from "../db/client";
import { compileTransform, TransformError, type Transform } from "./transform";

/** TargetControl is what the engine does beyond sending: shape the request, hold deliveries back. */
export interface TargetControl {
  /** transform shapes each request; a broken stored expression keeps its error, which each attempt reports. */
  transform: { text: string; compiled: Transform | null; error: TransformError | null } | null;
  /** rateLimit is deliveries per second, over every instance. */
  rateLimit: number | null;
  /** maxInFlight is attempts under way at once, over every instance. */
  maxInFlight: number | null;
}

/** CONTROL_COLUMNS are what DEFINITIONS_SQL selects for controlFromRow. */
export const TRIGGER_CONTROL_COLUMNS = `t.value ->> '$.transform' AS transform, t.value ->> '$.rateLimit' AS rate_limit,
       t.value ->> '$.maxInFlight' AS max_in_flight`;
export const CONTROL_COLUMNS = "transform, rate_limit, max_in_flight";

/**
 * controlsFromRows builds the controls of every target that has any; an expression already
 * compiled for the same target (in `before`) is reused, so it compiles once per change.
 */
export function controlsFromRows(rows: Row[], before: Map<string, TargetControl>): Map<string, TargetControl> {
  const controls = new Map<string, TargetControl>();
  for (const r of rows) {
    if (r.transform === null && r.rate_limit === null && r.max_in_flight === null) continue;
    const target = String(r.target);
    const text = r.transform === null ? null : String(r.transform);
    const kept = before.get(target)?.transform;
    controls.set(target, {
      transform: text === null ? null : kept?.text === text ? kept : compiled(text),
      rateLimit: r.rate_limit === null ? null : Number(r.rate_limit),
      maxInFlight: r.max_in_flight === null ? null : Number(r.max_in_flight),
    });
  }
  return controls;
}

function compiled(text: string): NonNullable<TargetControl["transform"]> {
  try {
    return { text, compiled: compileTransform(text), error: null };
  } catch (err) {
    return { text, compiled: null, error: err as TransformError };
  }
}
