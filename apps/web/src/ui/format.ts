/**
 * Formatting shared by the pages: dates, signed points, tier order, property values. Pure
 * functions (no React), unit-tested in format.test.ts.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A readable local date and time, or "—". */
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "—";
  return d.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** "3 h ago", "2 d ago" — short relative time for lists. */
export function ago(iso: string | null | undefined): string {
  if (!iso) return "never";
  const ms = Date.now() - new Date(iso).getTime();
  if (Number.isNaN(ms)) return "—";
  const m = Math.round(ms / MINUTE);
  if (m < 1) return "just now";
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} d ago`;
}

/**
 * How long after an entry's time it was processed, as the lead page says it ("received 3 days
 * later"), or undefined when the two are within a minute: a ledger entry counts from its event's
 * time, and a late, imported or merged event is written long after.
 *
 * @example receivedLater("2026-01-01T00:00:00Z", "2026-01-04T00:00:00Z") // "received 3 days later"
 */
export function receivedLater(at: string, processedAt: string): string | undefined {
  const gap = new Date(processedAt).getTime() - new Date(at).getTime();
  if (!Number.isFinite(gap) || gap < MINUTE) return undefined;
  const [n, unit] = gap >= DAY ? [Math.floor(gap / DAY), "day"] : gap >= HOUR ? [Math.floor(gap / HOUR), "hour"] : [Math.floor(gap / MINUTE), "minute"];
  return `received ${n} ${unit}${n === 1 ? "" : "s"} later`;
}

/** Points with a sign: +10, −5. */
export function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${Math.abs(n)}` : "0";
}

const knownTierOrder = ["hot", "warm", "cold"];
/** Hot, Warm, Cold first, then any other tier name alphabetically. */
export function byTierOrder(a: string, b: string): number {
  const ia = knownTierOrder.indexOf(a.toLowerCase());
  const ib = knownTierOrder.indexOf(b.toLowerCase());
  if (ia !== ib) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  return a.localeCompare(b);
}

/** A lead stage as a word in a sentence or a cell: "MQL", "Customer". */
export const stageLabel = (s: string) => (s === "mql" || s === "sql" ? s.toUpperCase() : s.charAt(0).toUpperCase() + s.slice(1));

/** A lead property or rule value as text: lists comma-separated, objects as JSON. */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (Array.isArray(v)) return v.map((x) => formatValue(x)).join(", ");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}
