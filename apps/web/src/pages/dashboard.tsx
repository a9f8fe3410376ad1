import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTRPC, type Outputs } from "../trpc.js";
import { Link } from "../router.js";
import { Empty, QueryView } from "../ui/states.js";
import "./pages.css";

/* ---- small helpers shared by the pages ---- */

/** A readable local date and time, or "—". */
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "—";
  return d.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** "3 h ago", "2 d ago" — short relative time for lists. */
export function ago(iso: string | null | undefined): string {
  if (!iso) return "never";
  const ms = Date.now() - new Date(iso).getTime();
  if (Number.isNaN(ms)) return "—";
  const m = Math.round(ms / 60_000);
  if (m < 1) return "just now";
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} d ago`;
}

export function TierBadge({ tier, testId }: { tier: string; testId?: string }) {
  return (
    <span className={`tier tier-${tier.toLowerCase()}`} data-testid={testId}>
      {tier}
    </span>
  );
}

/** Points with a sign: +10, −5. */
export function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${Math.abs(n)}` : "0";
}

const knownTierOrder = ["hot", "warm", "cold"];
/** Hot, Warm, Cold first, then any other tier name alphabetically. */
export function byTierOrder(a: string, b: string): number {
  const ia = knownTierOrder.indexOf(a.toLowerCase());
  const ib = knownTierOrder.indexOf(b.toLowerCase());
  if (ia !== ib) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  return a.localeCompare(b);
}

/* ---- the page ---- */

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
  const max = Math.max(1, ...tiers.map((t) => t.leads));
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
          <div className="bars">
            {tiers.map((t) => (
              <div className="bar-row" key={t.tier}>
                <span><TierBadge tier={t.tier} /></span>
                <div className="track" role="img" aria-label={`${t.tier}: ${t.leads} leads`}>
                  <div className={`bar tier-${t.tier.toLowerCase()}`} style={{ width: `${(t.leads / max) * 100}%` }} />
                </div>
                <span className="num">{t.leads}</span>
              </div>
            ))}
          </div>
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

export const NOT_LINKED_TO_REP = "Your account is not linked to a sales rep yet. Ask an admin to add a rep with your e-mail.";

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
