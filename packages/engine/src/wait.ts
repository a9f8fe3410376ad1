import type { NodeConfig } from "@leadflow/flow";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `name` is an IANA time zone this runtime knows (e.g. "Europe/Budapest"). */
export function isTimeZone(name: unknown): name is string {
  if (typeof name !== "string" || name.length === 0) return false;
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of an instant in a time zone. */
function wallClock(t: number, timeZone: string) {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(t))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** Milliseconds the zone is ahead of UTC at instant t. */
function offsetAt(t: number, timeZone: string): number {
  const w = wallClock(t, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(t / 1000) * 1000;
}

/**
 * The instant a wall-clock time happens in a zone. In a spring-forward gap (a local hour
 * that does not exist) the offset after the change wins, so 02:00 becomes 03:00.
 */
function zonedToInstant(year: number, month0: number, day: number, hour: number, timeZone: string): number {
  const wall = Date.UTC(year, month0, day, hour);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  return second === first ? first : Math.max(first, second);
}

/**
 * When a wait node resumes. A duration is absolute time (a day is 24 hours). A window
 * (`until`) means the next full hour `hour`:00 on an allowed weekday in `timeZone` (the
 * lead's, else the workspace's), strictly after now — a lead arriving at 09:00 sharp waits
 * for the next window rather than being sent in the same instant.
 */
export function waitDueAt(config: NodeConfig<"wait">, now: Date, timeZone = "UTC"): Date {
  if ("until" in config) {
    const zone = isTimeZone(timeZone) ? timeZone : "UTC";
    const { hour, weekdays } = config.until;
    const allowed = weekdays && weekdays.length > 0 ? new Set(weekdays) : null;
    const today = wallClock(now.getTime(), zone);
    for (let d = 0; d <= 8; d++) {
      const weekday = new Date(Date.UTC(today.year, today.month - 1, today.day + d)).getUTCDay();
      if (allowed && !allowed.has(weekday)) continue;
      const t = zonedToInstant(today.year, today.month - 1, today.day + d, hour, zone);
      if (t > now.getTime()) return new Date(t);
    }
    throw new Error("unreachable: some day within a week is allowed");
  }
  const ms = (config.days ?? 0) * DAY + (config.hours ?? 0) * HOUR + (config.minutes ?? 0) * MINUTE;
  return new Date(now.getTime() + ms);
}
