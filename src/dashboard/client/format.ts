// Formatting times, durations and counts for people. Pure, so it is unit-tested without a browser.

/** ago says how long before `now` an ISO time was, e.g. "3 min ago"; future times read "in 3 min". */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "—";
  const ms = now - Date.parse(iso);
  if (Number.isNaN(ms)) return "—";
  const future = ms < 0;
  const text = span(Math.abs(ms));
  if (text === "now") return "just now";
  return future ? `in ${text}` : `${text} ago`;
}

/** span renders a length of time coarsely: "45 s", "3 min", "2 h", "4 d". */
export function span(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 1) return "now";
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

/** duration renders milliseconds precisely for timings: "84 ms", "1.2 s". */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** zoneName is the short name of the browser's time zone at a moment ("UTC", "CET", "GMT+2"). */
export function zoneName(d: Date): string {
  return (
    new Intl.DateTimeFormat("en-US", { timeZoneName: "short" }).formatToParts(d).find((p) => p.type === "timeZoneName")
      ?.value ?? ""
  );
}

/** dateTime renders an ISO time as local "YYYY-MM-DD HH:MM:SS" with its zone, e.g. "2026-01-02 14:05:00 UTC". */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${zoneName(d)}`;
}

/** count renders a whole number with thousands separators. */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** prettyBody pretty-prints a JSON body and leaves any other text as it is. */
export function prettyBody(text: string | null | undefined): string {
  if (text === null || text === undefined || text === "") return "";
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
