/**
 * The bulk form of upsertLead (scoring/leads.ts) for imports: many rows in one transaction, each
 * validated by the same LeadInput schema and given the same meaning (create by e-mail with fit
 * and tier computed, or merge the properties into the lead through the engine, which recomputes
 * fit and tier and records a tier change).
 */
import { insertImportedLeads, lockLeadsByEmail, type Transaction, type DB } from "@leadflow/db";
import { computeFit, tierFor, updateLeadProperties, type LeadState } from "@leadflow/engine";
import type { RuntimeDeps } from "../deps.js";
import { invalidInput } from "../errors.js";
import { LeadInput } from "../scoring/leads.js";
import { emptyLead, leadStateFromRow } from "../scoring/lead-state.js";
import { ConcurrentUpdate, EngineSession } from "../scoring/engine-session.js";

export interface LeadRowInput {
  line: number;
  email: string;
  properties: Record<string, string>;
}
export interface ValidLeadRow {
  line: number;
  email: string;
  properties: Record<string, string | number | boolean | null>;
}
export interface RejectedRow {
  line: number;
  message: string;
}

/** The rows LeadInput accepts, and the others with the reason, by line. */
export function validateLeadRows(rows: readonly LeadRowInput[]): { valid: ValidLeadRow[]; rejected: RejectedRow[] } {
  const valid: ValidLeadRow[] = [];
  const rejected: RejectedRow[] = [];
  for (const row of rows) {
    const parsed = LeadInput.safeParse({ email: row.email, properties: row.properties });
    if (parsed.success) valid.push({ line: row.line, email: parsed.data.email, properties: parsed.data.properties });
    else rejected.push({ line: row.line, message: invalidInput(parsed.error.issues, "lead").message });
  }
  return { valid, rejected };
}

/**
 * Upserts the rows in the caller's transaction: their existing leads locked in id order, the new
 * e-mails inserted in one statement (an e-mail another writer created meanwhile retries the
 * transaction, which then finds it), the rest merged in file order. A row repeating an e-mail
 * of the same chunk counts as an update, as it would one at a time.
 */
export async function upsertLeadRows(deps: RuntimeDeps, trx: Transaction<DB>, rows: readonly ValidLeadRow[]): Promise<{ created: number; updated: number }> {
  if (rows.length === 0) return { created: 0, updated: 0 };
  const now = deps.clock.now();
  const lowers = [...new Set(rows.map((r) => r.email.toLowerCase()))];
  const existing = new Map((await lockLeadsByEmail(trx, lowers)).map((row) => [row.email_lower, row]));
  const session = await EngineSession.open(deps, trx, now);
  const fresh = new Map<string, LeadState>();
  let created = 0;
  for (const row of rows) {
    const lower = row.email.toLowerCase();
    if (existing.has(lower)) continue;
    const lead = fresh.get(lower);
    const props = Object.fromEntries(Object.entries(row.properties).filter(([, v]) => v !== null));
    if (lead) Object.assign(lead.properties, props);
    else {
      fresh.set(lower, { ...emptyLead(), id: deps.newId(), email: row.email, properties: props });
      created++;
    }
  }
  for (const lead of fresh.values()) {
    lead.fit = computeFit(session.ctx.model.fitRules, lead);
    lead.tier = tierFor(session.ctx.model.tiers, lead.fit);
  }
  const inserted = await insertImportedLeads(trx, [...fresh.values()].map((l) => ({ ...l, flowState: l.flowState })));
  if (inserted.size !== fresh.size) throw new ConcurrentUpdate("a lead of the chunk was created concurrently");
  // fit rules may read behaviour (visit frequency): recomputed fit keeps counting it
  await session.loadBehaviour([...existing.values()].map((r) => r.id));
  for (const row of rows) {
    const found = existing.get(row.email.toLowerCase());
    if (!found) continue;
    const lead = session.current(leadStateFromRow(found));
    session.take(updateLeadProperties(session.ctx, lead, row.properties));
  }
  await session.commit();
  return { created, updated: rows.length - created };
}
