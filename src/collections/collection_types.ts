/** FIELD_TYPES lists the value types a collection field may have. */
export const FIELD_TYPES = [
  "text",
  "email",
  "number",
  "bool",
  "date",
  "datetime",
  "select",
  "url",
  "editor",
  "json",
  "relation",
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Field is one column of a collection; its id stays the same when it is renamed. */
export interface Field {
  id: string;
  name: string;
  type: FieldType;
  required: boolean;
  options: Record<string, unknown>;
}

/** TRIGGER_ACTIONS are the record changes a trigger can fire on. */
export const TRIGGER_ACTIONS = ["create", "update", "delete"] as const;
export type TriggerAction = (typeof TRIGGER_ACTIONS)[number];

/** TRIGGER_ID_PATTERN is the rule for trigger ids (VSKI clients send their own). */
export const TRIGGER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Trigger is one outbound webhook fired when a record of the collection changes. */
export interface Trigger {
  id: string;
  action: TriggerAction;
  url: string;
  method: string;
  headers: Record<string, string>;
  /** retryLimit caps the attempts in all; absent, the retry schedule decides. */
  retryLimit?: number;
  /** retrySchedule is this trigger's wait before each retry ("5s", "5m", …); absent, HOOKD_RETRY_SCHEDULE. */
  retrySchedule?: string[];
  jwtEnabled: boolean;
  timeoutMs: number;
  active: boolean;
  paused: boolean;
  /** condition filters the row in the trigger-condition grammar (docs/delivery.md); absent fires on every write. */
  condition?: string;
  /** columns (update triggers): fire only when one of these fields changed. */
  columns?: string[];
  /** orderingKey: "id" or a field; deliveries with the same value go one at a time, in commit order. */
  orderingKey?: string;
  /** transform: a JSONata expression shaping each request (docs/control.md); absent, the event is sent as is. */
  transform?: string;
  /** rateLimit: deliveries per second, over every instance; absent, no limit. */
  rateLimit?: number;
  /** maxInFlight: attempts under way at once, over every instance; absent, no limit. */
  maxInFlight?: number;
}

/** TriggerSpec is a trigger as a client gives it: the store assigns a missing id, keeps a stored `paused`, and stores `secret` apart. */
export interface TriggerSpec extends Omit<Trigger, "id" | "paused"> {
  id?: string;
  paused?: boolean;
  secret?: string;
}

/** Collection is a typed table of records and its triggers. */
export interface Collection {
  id: string;
  name: string;
  type: "base";
  schema: Field[];
  options: { triggers: Trigger[]; [key: string]: unknown };
  created: string;
  updated: string;
}

/** SYSTEM_COLUMNS are present on every record and cannot be declared as fields. */
export const SYSTEM_COLUMNS = ["id", "created", "updated"] as const;

/** RECORD_METADATA are the keys a record answers beside its fields (PocketBase-style); a field of that name would spoof them. */
export const RECORD_METADATA = [...SYSTEM_COLUMNS, "collectionId", "collectionName", "expand"] as const;

/** ROWID_ALIASES name SQLite's hidden row number, which record sorting relies on to break ties. */
export const ROWID_ALIASES = ["rowid", "oid", "_rowid_"] as const;

/** NAME_PATTERN is the rule for collection and field names. */
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
