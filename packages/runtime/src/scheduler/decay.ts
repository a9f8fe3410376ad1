import {
  claimLeadsDueForDecay,
  claimLeadsWithExpiringEntries,
  decayChunkInSql,
  findLeadRows,
  insertDecayEntries,
  listExpiringFlowEntries,
  listFreshFlowEntries,
  markEntriesExpired,
  markLeadsDecayed,
  type DB,
  type DecayLedgerEntry,
  type LeadRow,
  type Transaction,
} from "@leadflow/db";
import { decayScores, rescore, type DecayEntry, type DecayPolicy, type ScoringModel } from "@leadflow/engine";
import type { CompiledFlowSet } from "@leadflow/flow";
import type { RuntimeDeps } from "../deps.js";
import { EngineSession } from "../scoring/engine-session.js";
import { leadStateFromRow } from "../scoring/lead-state.js";
import { withRetry } from "../retry.js";
import { passSize, type PassOptions } from "./passes.js";
import { loadScoringModel } from "../settings/scoring-model.js";

const DAY = 86_400_000;

export interface DecayReport {
  /** leads whose decay was brought up to now */
  leads: number;
  /** of them, leads whose scores moved */
  changed: number;
  /** ledger entries taken back (policy `expire` or their own expiresAfterDays) */
  expired: number;
  tierChanges: number;
  /** runs started by crossings (trigger.score) */
  runs: number;
}

export interface DecayOptions extends PassOptions {
  /** a lead is decayed again once this long has passed since the last time (default a day) */
  everyMs?: number;
}

const emptyReport = (): DecayReport => ({ leads: 0, changed: 0, expired: 0, tierChanges: 0, runs: 0 });

/**
 * Applies the workspace decay policy and ledger expiries, a chunk of leads per transaction.
 * Leads are claimed with FOR UPDATE SKIP LOCKED: a lead an ingestion batch holds is left for
 * the next chunk (decay never makes ingestion wait on it for more than one chunk), and several
 * processes never decay the same lead at once. What a lead's decay has reached is its
 * `decayed_at`, so the claim query is its own cursor: processed leads drop out of it.
 */
export async function applyDecay(deps: RuntimeDeps, now: Date, options: DecayOptions = {}): Promise<DecayReport> {
  const { chunk, maxChunks } = passSize(options);
  const everyMs = options.everyMs ?? DAY;
  const model = await loadScoringModel(deps.db);
  const policy = model.decay;
  const report = emptyReport();
  // entries whose own expiry came are taken back promptly, whatever the policy; then the policy's decay
  const phases = policy.kind === "none" ? (["expiring"] as const) : (["expiring", "due"] as const);
  for (const which of phases) {
    for (let i = 0; i < maxChunks; i++) {
      const r = await withRetry(() =>
        deps.db.transaction().execute(async (trx) => {
          if (which === "due" && policy.kind === "halfLife") return decayChunkInSets(deps, trx, now, model, policy.days, chunk, everyMs);
          return decayRows(deps, trx, now, policy, await claimLeads(trx, now, chunk, which, everyMs));
        }),
      );
      add(report, r);
      if (r.leads < chunk) break;
    }
  }
  return report;
}

/**
 * A half-life chunk in sets: SQL decays every claimed lead whose change cannot matter to the
 * engine (no tier boundary, trigger.score value or threshold mark within reach, no own expiry
 * due) and writes its ledger rows; the engine decays the rest (still locked), as before.
 */
async function decayChunkInSets(
  deps: RuntimeDeps,
  trx: Transaction<DB>,
  now: Date,
  model: ScoringModel,
  halfLifeDays: number,
  chunk: number,
  everyMs: number,
): Promise<DecayReport> {
  const flows = await deps.flows.current(trx);
  const r = await decayChunkInSql(trx, {
    now, decayedBefore: new Date(now.getTime() - everyMs), limit: chunk, halfLifeDays, tiers: model.tiers, marks: scoreMarks(flows),
  });
  const rest = await decayRows(deps, trx, now, model.decay, await findLeadRows(trx, r.engine));
  return { ...rest, leads: r.claimed, changed: rest.changed + r.changed };
}

/** The values published trigger.score nodes watch, with the score each reads. */
function scoreMarks(flows: CompiledFlowSet): { score: string; value: number }[] {
  return flows.scoreTriggers.flatMap(({ flow, nodeId }) => {
    const node = flow.nodes.get(nodeId)?.node;
    return node?.type === "trigger.score" ? [{ score: node.config.score ?? "total", value: node.config.crosses }] : [];
  });
}

function add(into: DecayReport, r: DecayReport) {
  into.leads += r.leads;
  into.changed += r.changed;
  into.expired += r.expired;
  into.tierChanges += r.tierChanges;
  into.runs += r.runs;
}

function claimLeads(trx: Transaction<DB>, now: Date, chunk: number, which: "expiring" | "due", everyMs: number): Promise<LeadRow[]> {
  return which === "due" ? claimLeadsDueForDecay(trx, new Date(now.getTime() - everyMs), chunk) : claimLeadsWithExpiringEntries(trx, now, chunk);
}

/** Decays claimed (locked) leads through the engine: exact scores, ledger rows, tier changes, crossings. */
async function decayRows(deps: RuntimeDeps, trx: Transaction<DB>, now: Date, policy: DecayPolicy, rows: LeadRow[]): Promise<DecayReport> {
  const report = emptyReport();
  if (rows.length === 0) return report;
  const ids = rows.map((r) => r.id);
  const fresh = policy.kind === "halfLife" ? await freshEntries(trx, ids) : new Map<string, DecayEntry[]>();
  const unexpired = await unexpiredEntries(trx, ids, now, policy);
  const session = await EngineSession.open(deps, trx, now);
  // score crossings start runs whose conditions may read behaviour
  await session.loadBehaviour(rows.map((r) => r.id));
  const ledger: DecayLedgerEntry[] = [];
  const expiredIds: string[] = [];
  const touched = new Set<string>();
  for (const row of rows) {
    const decayedAt = decayedAtOf(row);
    const out = decayScores({
      engagement: row.engagement,
      categories: row.categories,
      decayedAt,
      now: now.getTime(),
      policy,
      fresh: fresh.get(row.id) ?? [],
      unexpired: unexpired.get(row.id) ?? [],
    });
    report.leads++;
    const moved = out.engagement !== row.engagement || !sameScores(out.categories, row.categories);
    if (!moved && out.expired.length === 0) continue;
    const result = rescore(session.ctx, session.withHistory(leadStateFromRow(row)), out.engagement, out.categories);
    session.take(result);
    touched.add(row.id);
    report.changed++;
    report.expired += out.expired.length;
    report.tierChanges += result.effects.filter((e) => e.kind === "tier").length;
    report.runs += result.effects.filter((e) => e.kind === "run").length;
    ledger.push(...explain(row, out, now));
    expiredIds.push(...out.expired.map((x) => x.entry.id));
  }
  // decayed_at goes forward with the scores in one UPDATE, and never backwards: a tick "as of"
  // an earlier instant must not make later decay count twice
  await session.commit({ decayedAt: now });
  await insertDecayEntries(trx, ledger);
  await markEntriesExpired(trx, expiredIds, now);
  await markLeadsDecayed(trx, ids.filter((id) => !touched.has(id)), now);
  return report;
}

/** '-infinity' (never decayed) comes back from the drivers in different shapes; the query normalises it. */
function decayedAtOf(row: LeadRow): number | null {
  const v = row.decayed_at as unknown;
  if (v === null || v === undefined) return null;
  const t = v instanceof Date ? v.getTime() : typeof v === "number" ? v : new Date(String(v)).getTime();
  return Number.isFinite(t) ? t : null;
}

function sameScores(a: Record<string, number>, b: Record<string, number>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/**
 * Ledger rows that keep the scores explainable: one 'expire' row per entry taken back (at its
 * expiry, with what it was worth then) and 'decay' rows for the rest of the change, one per
 * category that moved and one uncategorised — so the ledger still sums to engagement and,
 * grouped by category, to the category scores.
 */
function explain(row: LeadRow, out: ReturnType<typeof decayScores>, now: Date): DecayLedgerEntry[] {
  const rows: DecayLedgerEntry[] = [];
  const base = {
    lead_id: row.id, flow_id: null, flow_version: null, node_id: null, event_id: null, run_id: null, expires_at: null, expires_entry_id: null,
    processed_at: now.toISOString(),
  };
  const expiredByCategory = new Map<string | null, number>();
  for (const x of out.expired) {
    rows.push({ ...base, delta: -x.value, category: x.entry.category, reason: "expire", at: new Date(x.at).toISOString(), expires_entry_id: x.entry.id });
    expiredByCategory.set(x.entry.category, (expiredByCategory.get(x.entry.category) ?? 0) + x.value);
  }
  let categorised = 0;
  const names = new Set([...Object.keys(row.categories), ...Object.keys(out.categories)]);
  for (const name of names) {
    const change = (out.categories[name] ?? 0) - (row.categories[name] ?? 0) + (expiredByCategory.get(name) ?? 0);
    categorised += change;
    if (Math.abs(change) >= 1e-6) rows.push({ ...base, delta: change, category: name, reason: "decay", at: now.toISOString() });
  }
  let expiredTotal = 0;
  for (const v of expiredByCategory.values()) expiredTotal += v;
  const rest = out.engagement - row.engagement + expiredTotal - categorised;
  if (Math.abs(rest) >= 1e-6) rows.push({ ...base, delta: rest, category: null, reason: "decay", at: now.toISOString() });
  return rows;
}

const toEntry = (r: { id: string | number; delta: number; category: string | null; at: Date | string; expires_at: Date | string | null }): DecayEntry => ({
  id: String(r.id),
  delta: r.delta,
  category: r.category,
  at: new Date(r.at).getTime(),
  expiresAt: r.expires_at === null ? null : new Date(r.expires_at).getTime(),
});

function groupByLead<T extends { lead_id: string }>(rows: T[], map: (r: T) => DecayEntry): Map<string, DecayEntry[]> {
  const out = new Map<string, DecayEntry[]>();
  for (const r of rows) {
    const list = out.get(r.lead_id) ?? [];
    list.push(map(r));
    out.set(r.lead_id, list);
  }
  return out;
}

/**
 * Flow entries written since each lead's last decay: they sit in the stored scores at their worth
 * when written (full value, or decayed from a late event's time). Written, not happened: a late
 * entry's `at` may be long before decayed_at. One stored without points (expired before it was
 * written) holds nothing to decay.
 */
async function freshEntries(trx: Transaction<DB>, ids: string[]): Promise<Map<string, DecayEntry[]>> {
  const rows = await listFreshFlowEntries(trx, ids);
  return groupByLead(rows, (r) => ({ ...toEntry(r), processedAt: new Date(r.processed_at).getTime() }));
}

/** Flow entries not yet taken back whose expiry (own, or by an `expire` policy) has come. */
async function unexpiredEntries(trx: Transaction<DB>, ids: string[], now: Date, policy: DecayPolicy): Promise<Map<string, DecayEntry[]>> {
  const heldSince = policy.kind === "expire" ? new Date(now.getTime() - policy.days * DAY) : null;
  return groupByLead(await listExpiringFlowEntries(trx, ids, now, heldSince), toEntry);
}
