import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTRPC, type Outputs } from "../trpc.js";
import { Link } from "../router.js";
import { Empty, NOT_LINKED_TO_REP, QueryView } from "../ui/states.js";
import { ago, byTierOrder, when } from "../ui/format.js";
import { TierBadge } from "../ui/tier-badge.js";
import { BarList } from "../ui/chart.js";
import "./pages.css";

type Stats = Outputs["leads"]["dashboard"];

export function DashboardPage() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const stats = useQuery(trpc.leads.dashboard.queryOptions());
  const isSales = me.data?.user?.role === "sales";
  // a sales user whose e-mail matches no rep owns no lead; say so rather than show an empty list
  const unlinked = isSales && me.data?.user?.repId === null;
  return (
    <div>
      <h1>Dashboard</h1>
      <p className="muted page-intro">
        How many leads are in each tier, and what Leadflow did for them this week
        {isSales ? " (for the whole team; your own leads are listed below)." : "."}
      </p>
      <QueryView query={stats}>{(s) => <Stats stats={s} />}</QueryView>
      {isSales && (unlinked ? <NotLinkedToRep /> : <HottestLeads />)}
    </div>
  );
}

function Stats({ stats }: { stats: Stats }) {
  const tiers = [...stats.byTier].sort((a, b) => byTierOrder(a.tier, b.tier));
  return (
    <>
      <section className="cards" aria-label="Leads per tier">
        <Stat label="All leads" value={stats.leads} to="/leads" />
        {tiers.map((t) => (
          <Stat key={t.tier} label={<>Tier <TierBadge tier={t.tier} /></>} value={t.leads} to={`/leads?tier=${encodeURIComponent(t.tier)}`} testId={`tier-count-${t.tier.toLowerCase()}`} />
        ))}
      </section>

      <section className="section card" aria-label="Tier distribution">
        <h2 style={{ marginTop: 0 }}>Leads per tier</h2>
        {tiers.length === 0 ? (
          <Empty>No leads yet. Leads appear when events arrive or when you import a CSV.</Empty>
        ) : (
          <BarList bars={tiers.map((t) => ({ key: t.tier, label: <TierBadge tier={t.tier} />, value: t.leads, description: `${t.tier}: ${t.leads} leads`, className: `tier-${t.tier.toLowerCase()}` }))} />
        )}
      </section>

      <h2>This week</h2>
      <section className="cards" aria-label="Activity">
        <Stat label="Hand-offs to sales" value={stats.handoffsThisWeek} hint="leads assigned to a rep since Monday" />
        <Stat label="E-mails sent" value={stats.emailsSentThisWeek} hint="since Monday" />
        <Stat label="E-mails waiting" value={stats.emailsPending} hint="queued or being sent now" />
        <Stat
          label="E-mails failed"
          value={stats.emailsDead}
          hint="gave up after retries"
          tone={stats.emailsDead > 0 ? "bad" : undefined}
        />
        <Stat label="Events (last 24 h)" value={stats.eventsToday} hint="page views, clicks, forms…" />
      </section>
    </>
  );
}

function Stat({ label, value, hint, to, tone, testId }: {
  label: ReactNode; value: number; hint?: string; to?: string; tone?: "bad" | "warn"; testId?: string;
}) {
  return (
    <div className={`card stat${tone ? ` ${tone}` : ""}`}>
      <div className="label">{label}</div>
      <div className="value" data-testid={testId}>{to ? <Link to={to}>{value.toLocaleString()}</Link> : value.toLocaleString()}</div>
      {hint && <div className="hint">{hint}</div>}
    </div>
  );
}

function NotLinkedToRep() {
  return (
    <section className="section" aria-label="Your hottest leads">
      <h2>Your hottest leads</h2>
      <Empty>
        <span data-testid="not-linked-to-rep">{NOT_LINKED_TO_REP}</span>
      </Empty>
    </section>
  );
}

function HottestLeads() {
  const trpc = useTRPC();
  const q = useQuery(trpc.leads.list.queryOptions({ sort: "score", pageSize: 10, page: 1 }));
  return (
    <section className="section" aria-label="Your hottest leads">
      <h2>Your hottest leads</h2>
      <QueryView query={q}>
        {(data) =>
          data.rows.length === 0 ? (
            <Empty>No leads are assigned to you yet. Hot leads are handed to you automatically.</Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr><th>Lead</th><th>Company</th><th>Tier</th><th className="num">Score</th><th>Last activity</th></tr>
                </thead>
                <tbody>
                  {data.rows.map((r) => (
                    <tr key={r.id}>
                      <td><Link to={`/leads/${encodeURIComponent(r.id)}`}>{r.name || r.email}</Link>{r.name && <div className="muted small">{r.email}</div>}</td>
                      <td>{r.company ?? "—"}</td>
                      <td><TierBadge tier={r.tier} /></td>
                      <td className="num">{r.total}</td>
                      <td title={when(r.lastActivityAt)}>{ago(r.lastActivityAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
    </section>
  );
}
