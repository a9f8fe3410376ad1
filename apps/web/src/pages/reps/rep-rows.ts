import { REP_ID_PATTERN } from "@leadflow/flow";
import type { Outputs } from "../../trpc.js";

/** The reps list as the form edits it (capacity and territories as typed), and the way back. */

export type Rep = Outputs["reps"]["list"][number];
export interface Row {
  key: number;
  id: string;
  name: string;
  email: string;
  territories: string;
  active: boolean;
  capacity: string;
  leads: number | null;
  isNew: boolean;
}

let nextKey = 1;
export const toRows = (reps: Rep[]): Row[] =>
  reps.map((r) => ({
    key: nextKey++, id: r.id, name: r.name, email: r.email, territories: r.territories.join(", "), active: r.active,
    capacity: r.capacity === null ? "" : String(r.capacity), leads: r.leads, isNew: false,
  }));

export const newRow = (): Row => ({ key: nextKey++, id: "", name: "", email: "", territories: "", active: true, capacity: "", leads: null, isNew: true });

/** The reps as the server takes them, plus the problems the browser can already see. */
export function fromRows(rows: Row[]) {
  const problems: string[] = [];
  const seen = new Set<string>();
  const reps = rows.map((r, i) => {
    const n = `Row ${i + 1}${r.name ? ` (${r.name})` : ""}`;
    if (!REP_ID_PATTERN.test(r.id)) problems.push(`${n}: the id needs letters, digits, _ . - (no spaces)`);
    if (seen.has(r.id)) problems.push(`${n}: the id ${r.id} is used twice`);
    seen.add(r.id);
    if (!r.name.trim()) problems.push(`${n}: the name is empty`);
    if (!/^\S+@\S+\.\S+$/.test(r.email.trim())) problems.push(`${n}: the e-mail address is not valid`);
    const capacity = r.capacity.trim() === "" ? null : Number(r.capacity);
    if (capacity !== null && !(Number.isInteger(capacity) && capacity > 0)) problems.push(`${n}: capacity must be a whole number above 0, or empty for no limit`);
    return {
      id: r.id.trim(), name: r.name.trim(), email: r.email.trim(),
      territories: r.territories.split(",").map((t) => t.trim()).filter(Boolean), active: r.active, capacity,
    };
  });
  return { reps, problems };
}

/** Server field paths (reps.2.email) in words. */
export function fieldText(path: string): string {
  const m = /^reps\.(\d+)\.?(.*)$/.exec(path);
  return m ? `Row ${Number(m[1]) + 1}${m[2] ? ` · ${m[2]}` : ""}` : path;
}
