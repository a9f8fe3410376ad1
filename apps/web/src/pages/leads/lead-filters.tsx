import { LEAD_STAGES, type LeadStage } from "@leadflow/flow";
import { SORTS, type LeadParams } from "./use-lead-params.js";

/** The stage filter's words (the table says just "MQL": see stageLabel). */
const stageOption: Record<LeadStage, string> = {
  subscriber: "Subscriber",
  lead: "Lead",
  mql: "MQL (marketing-qualified)",
  sql: "SQL (sales-qualified)",
  customer: "Customer",
  recycled: "Recycled",
};

interface Props {
  params: LeadParams;
  tierNames: string[];
  /** null for a sales user, who sees only their own leads (no owner filter) */
  reps: { id: string; name: string; active: boolean }[] | null;
}

export function LeadFilters({ params: p, tierNames, reps }: Props) {
  return (
    <form className="filters" role="search" onSubmit={(e) => { e.preventDefault(); p.setParams({ q: p.text }); }}>
      <label className="grow">
        Search
        <input type="search" value={p.text} onChange={(e) => p.setText(e.target.value)} placeholder="Name, e-mail or company" data-testid="leads-search" />
      </label>
      <label>
        Tier
        <select value={p.tier} onChange={(e) => p.setParams({ tier: e.target.value })} data-testid="leads-tier">
          <option value="">All tiers</option>
          {tierNames.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </label>
      {reps && (
        <label>
          Owner
          <select value={p.owner} onChange={(e) => p.setParams({ owner: e.target.value })} data-testid="leads-owner">
            <option value="">Anyone</option>
            <option value="none">Unassigned</option>
            {reps.map((r) => (
              <option key={r.id} value={r.id}>{r.name}{r.active ? "" : " (inactive)"}</option>
            ))}
          </select>
        </label>
      )}
      <label>
        Stage
        <select value={p.stage} onChange={(e) => p.setParams({ stage: e.target.value })} data-testid="leads-stage">
          <option value="">All stages</option>
          {LEAD_STAGES.map((s) => <option key={s} value={s}>{stageOption[s]}</option>)}
        </select>
      </label>
      <label>
        Sort by
        <select value={p.sort} onChange={(e) => p.setParams({ sort: e.target.value })} data-testid="leads-sort">
          {SORTS.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
        </select>
      </label>
      {p.filtered && (
        <button type="button" onClick={p.clear}>
          Clear filters
        </button>
      )}
    </form>
  );
}
