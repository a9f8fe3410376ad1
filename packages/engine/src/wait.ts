import type { NodeConfig } from "@leadflow/flow";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * When a wait node resumes. A window (`until`) means the next full hour `hour`:00
 * UTC on an allowed weekday, strictly after now — a lead arriving at 09:00 sharp
 * waits for the next window rather than being sent in the same instant.
 */
export function waitDueAt(config: NodeConfig<"wait">, now: Date): Date {
  if ("until" in config) {
    const { hour, weekdays } = config.until;
    const allowed = weekdays && weekdays.length > 0 ? new Set(weekdays) : null;
    const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour);
    for (let d = 0; d <= 7; d++) {
      const t = start + d * DAY;
      if (t > now.getTime() && (!allowed || allowed.has(new Date(t).getUTCDay()))) return new Date(t);
    }
    throw new Error("unreachable: some day within a week is allowed");
  }
  const ms = (config.days ?? 0) * DAY + (config.hours ?? 0) * HOUR + (config.minutes ?? 0) * MINUTE;
  return new Date(now.getTime() + ms);
}
