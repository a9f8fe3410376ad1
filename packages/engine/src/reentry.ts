import type { Reentry } from "@leadflow/flow";
import { parseTime } from "./iso-time.js";

const DAY = 86_400_000;

/** Whether a lead may start another run of a flow, given when it last started one. */
export function reentryAllows(reentry: Reentry, entry: { count: number; lastAt: string } | undefined, now: Date): boolean {
  if (!entry || entry.count === 0) return true;
  if (reentry === "always") return true;
  if (reentry === "once") return false;
  return now.getTime() - parseTime(entry.lastAt) >= reentry.cooldownDays * DAY;
}
