import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "../trpc.js";
import { Link, navigate, useLocation } from "../router.js";
import { Empty, QueryView } from "../ui/states.js";
import { ago, byTierOrder, NOT_LINKED_TO_REP, TierBadge, when } from "./dashboard.js";
import "./pages.css";

const PAGE_SIZE = 25;
const SORTS = [
  { value: "score", label: "Highest score" },
  { value: "recent", label: "Most recent activity" },
  { value: "email", label: "E-mail (A–Z)" },
] as const;
type Sort = (typeof SORTS)[number]["value"];

export const STAGES = [
  { value: "subscriber", label: "Subscriber" },
  { value: "lead", label: "Lead" },
  { value: "mql", label: "MQL (marketing-qualified)" },
  { value: "sql", label: "SQL (sales-qualified)" },
  { value: "customer", label: "Customer" },
  { value: "recycled", label: "Recycled" },
];
export const stageLabel = (s: string) => (s === "mql" || s === "sql" ? s.toUpperCase() : s.charAt(0).toUpperCase() + s.slice(1));

export function LeadsPage() {
  const trpc = useTRPC();
  const { path, query } = useLocation();
  const search = query.get("q") ?? "";
  const tier = query.get("tier") ?? "";
  const owner = query.get("owner") ?? "";
  const stage = query.get("stage") ?? "";
  const sortParam = query.get("sort");
  const sort: Sort = SORTS.some((s) => s.value === sortParam) ? (sortParam as Sort) : "score";
  const page = Math.max(1, Number.parseInt(query.get("page") ?? "1", 10) || 1);

  /** Writes filters into the URL (replacing the history entry); any change but paging goes back to page 1. */
  const setParams = (changes: Record<string, string>) => {
    const next = new URLSearchParams(window.location.search); // current even when called from a timer
    for (const [k, v] of Object.entries(changes)) {
      if (v === "" || (k === "sort" && v === "score") || (k === "page" && v === "1")) next.delete(k);
      else next.set(k, v);
    }
    if (!("page" in changes)) next.delete("page");
    const qs = next.toString();
    navigate(qs ? `${path}?${qs}` : path, true);
  };

  // the search box updates the URL ~300 ms after the last keystroke
  const [text, setText] = useState(search);
  useEffect(() => setText(search), [search]);
  useEffect(() => {
    if (text === search) return;
    const t = setTimeout(() => setParams({ q: text }), 300);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);

  const me = useQuery(trpc.auth.me.queryOptions());
  const isSales = me.data?.user?.role === "sales";
  const reps = useQuery(trpc.reps.list.queryOptions());
  const stats = useQuery(trpc.leads.dashboard.queryOptions());
  const tierNames = [...new Set([...(stats.data?.byTier.map((t) => t.tier) ?? []), ...(tier ? [tier] : [])])].sort(byTierOrder);

  const list = useQuery({
    ...trpc.leads.list.queryOptions({
      search: search || undefined,
      tier: tier || undefined,
      owner: owner || undefined,
      stage: stage || undefined,
      sort,
      page,
      pageSize: PAGE_SIZE,
    }),
    placeholderData: keepPreviousData,
  });
  const filtered = Boolean(search || tier || owner || stage);

  return (
    <div>
      <h1>Leads</h1>
      <p className="muted page-intro">
        {isSales
          ? "The leads assigned to you. Open one to see why it scored as it did and what it has done."
          : "Everyone Leadflow knows about, with their scores. Fit is who they are; engagement is what they did; total = fit + engagement decides the tier."}
      </p>

      <form className="filters" role="search" onSubmit={(e) => { e.preventDefault(); setParams({ q: text }); }}>
        <label className="grow">
          Search
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Name, e-mail or company" data-testid="leads-search" />
        </label>
        <label>
          Tier
          <select value={tier} onChange={(e) => setParams({ tier: e.target.value })} data-testid="leads-tier">
            <option value="">All tiers</option>
            {tierNames.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </label>
        {!isSales && (
          <label>
            Owner
            <select value={owner} onChange={(e) => setParams({ owner: e.target.value })} data-testid="leads-owner">
              <option value="">Anyone</option>
              <option value="none">Unassigned</option>
              {(reps.data ?? []).map((r) => (
                <option key={r.id} value={r.id}>{r.name}{r.active ? "" : " (inactive)"}</option>
              ))}
            </select>
          </label>
        )}
        <label>
          Stage
          <select value={stage} onChange={(e) => setParams({ stage: e.target.value })} data-testid="leads-stage">
            <option value="">All stages</option>
            {STAGES.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
          </select>
        </label>
        <label>
          Sort by
          <select value={sort} onChange={(e) => setParams({ sort: e.target.value })} data-testid="leads-sort">
            {SORTS.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
          </select>
        </label>
        {filtered && (
          <button type="button" onClick={() => { setText(""); navigate(sort === "score" ? path : `${path}?sort=${sort}`, true); }}>
            Clear filters
          </button>
        )}
      </form>

      <QueryView query={list}>
        {(data) => {
          if (data.rows.length === 0 && data.total > 0) {
            return (
              <Empty>
                There is no page {data.page}. <button type="button" className="link" onClick={() => setParams({ page: "1" })}>Go to the first page</button>
              </Empty>
            );
          }
          if (data.rows.length === 0) {
            return (
              <Empty>
                {filtered
                  ? "No lead matches these filters. Try another search or clear the filters."
                  : isSales
                    ? me.data?.user?.repId === null
                      ? NOT_LINKED_TO_REP
                      : "No leads are assigned to you yet. Hot leads are handed to you automatically."
                    : "No leads yet. Leads appear when the website sends events or when a CSV is imported."}
              </Empty>
            );
          }
          const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
          const first = (data.page - 1) * data.pageSize + 1;
          const last = first + data.rows.length - 1;
          return (
            <>
              <div className="table-wrap" style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
                <table data-testid="leads-table">
                  <thead>
                    <tr>
                      <th>Lead</th>
                      <th>Company</th>
                      <th>Tier</th>
                      <th className="num" title="fit + engagement">Total</th>
                      <th className="num" title="who they are (fit model)">Fit</th>
                      <th className="num" title="what they did (flows' points, after decay)">Engagement</th>
                      <th>Stage</th>
                      <th>Owner</th>
                      <th>Last activity</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.rows.map((r) => (
                      <tr key={r.id} data-testid="lead-row">
                        <td>
                          <Link to={`/leads/${encodeURIComponent(r.id)}`}>{r.name || r.email}</Link>
                          {r.name && <div className="muted small">{r.email}</div>}
                          {r.status !== "active" && <div className="small error">{r.status}</div>}
                        </td>
                        <td>{r.company ?? <span className="muted">—</span>}</td>
                        <td><TierBadge tier={r.tier} /></td>
                        <td className="num"><strong>{r.total}</strong></td>
                        <td className="num">{r.fit}</td>
                        <td className="num">{r.engagement}</td>
                        <td>{stageLabel(r.stage)}</td>
                        <td>{r.ownerName ?? <span className="muted">Unassigned</span>}</td>
                        <td className="nowrap" title={when(r.lastActivityAt)}>{ago(r.lastActivityAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <nav className="pager" aria-label="Pages">
                <span className="muted" data-testid="leads-count">
                  {first}–{last} of {data.total.toLocaleString()}
                </span>
                <button type="button" disabled={data.page <= 1} onClick={() => setParams({ page: String(data.page - 1) })}>
                  ← Previous
                </button>
                <span>Page {data.page} of {pages}</span>
                <button type="button" disabled={data.page >= pages} onClick={() => setParams({ page: String(data.page + 1) })} data-testid="leads-next">
                  Next →
                </button>
              </nav>
            </>
          );
        }}
      </QueryView>
    </div>
  );
}
