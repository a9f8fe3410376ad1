import { Link } from "../../router.js";
import type { Outputs } from "../../trpc.js";
import { ago, stageLabel, when } from "../../ui/format.js";
import { TierBadge } from "../../ui/tier-badge.js";

type LeadPage = Outputs["leads"]["list"];

/** One page of leads and the pager under it; `faded` while the next page loads. */
export function LeadsTable({ data, faded, goTo }: { data: LeadPage; faded: boolean; goTo: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  const first = (data.page - 1) * data.pageSize + 1;
  const last = first + data.rows.length - 1;
  return (
    <>
      <div className="table-wrap" style={{ opacity: faded ? 0.6 : 1 }}>
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
        <button type="button" disabled={data.page <= 1} onClick={() => goTo(data.page - 1)}>
          ← Previous
        </button>
        <span>Page {data.page} of {pages}</span>
        <button type="button" disabled={data.page >= pages} onClick={() => goTo(data.page + 1)} data-testid="leads-next">
          Next →
        </button>
      </nav>
    </>
  );
}
