/**
 * Leads with their scores as CSV, streamed: a page of leads at a time (keyset by id), so the
 * export's memory does not grow with the number of leads. Cells are neutralised against formula
 * injection: a text cell starting with = + - @ (or a tab or carriage return) gets a leading '
 * so a spreadsheet shows it as text instead of running it.
 */
import { stringify } from "csv-stringify/sync";
import { leadPropertyNames, leadsForExport, type DB, type Kysely } from "@leadflow/db";

const PAGE = 1000;
/** Property columns exported (the most a lead may have). */
const MAX_PROPERTY_COLUMNS = 200;

export const EXPORT_COLUMNS = [
  "id", "email", "stage", "status", "owner", "fit", "engagement", "total", "tier", "categories", "lastActivityAt", "createdAt",
] as const;

/** A cell as text a spreadsheet will not evaluate. */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const text = (v: unknown): string => {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return neutralise(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return neutralise(JSON.stringify(v));
};
const time = (d: Date | null) => (d ? new Date(d).toISOString() : "");
const round = (n: number) => Math.round(n * 100) / 100;

/**
 * The export, a piece of CSV text at a time: the header (fixed columns, then the leads' property
 * names; a property named as a fixed column is left out), then a page of leads per piece.
 */
export async function* exportLeadsCsv(db: Kysely<DB>): AsyncGenerator<string> {
  const fixed = new Set<string>(EXPORT_COLUMNS);
  const names = (await leadPropertyNames(db, MAX_PROPERTY_COLUMNS)).filter((n) => !fixed.has(n));
  yield stringify([[...EXPORT_COLUMNS, ...names].map(neutralise)]);
  let after: string | null = null;
  for (;;) {
    const page = await leadsForExport(db, after, PAGE);
    if (page.length === 0) return;
    const rows = page.map((l) => {
      const props = l.properties as Record<string, unknown>;
      return [
        l.id, text(l.email), text(l.stage), text(l.status), text(l.owner_email), round(l.fit), round(l.engagement), round(l.total),
        text(l.tier), text(l.categories), time(l.last_activity_at), time(l.created_at), ...names.map((n) => text(props[n])),
      ];
    });
    yield stringify(rows);
    after = page[page.length - 1]!.id;
    if (page.length < PAGE) return;
  }
}
