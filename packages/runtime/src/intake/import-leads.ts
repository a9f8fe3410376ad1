import type { RuntimeDeps } from "../deps.js";
import { AppError } from "../errors.js";
import { parseCsv } from "./csv.js";
import { upsertLead } from "../scoring/leads.js";

/** Imports leads from CSV: an `email` column and any property columns (empty cells are skipped). */
export async function importLeadsCsv(
  deps: RuntimeDeps,
  csv: string,
): Promise<{ created: number; updated: number; errors: { line: number; message: string }[] }> {
  const parsed = parseCsv(csv);
  if (!parsed.ok) throw new AppError("invalid_input", `CSV line ${parsed.line}: ${parsed.message}`);
  if (parsed.rows.length > 0 && !("email" in parsed.rows[0]!)) throw new AppError("invalid_input", "the CSV needs an email column");
  let created = 0;
  let updated = 0;
  const errors: { line: number; message: string }[] = [];
  for (const [i, row] of parsed.rows.entries()) {
    const { email, ...rest } = row;
    const properties = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== ""));
    try {
      const r = await upsertLead(deps, { email, properties });
      if (r.created) created++;
      else updated++;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      errors.push({ line: i + 2, message: e.message });
    }
  }
  return { created, updated, errors };
}
