const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

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
