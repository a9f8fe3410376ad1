import { useQuery } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { useTRPC, type Outputs } from "../trpc.js";
import { Link } from "../router.js";
import { Empty, QueryView } from "../ui/states.js";
import { ago, signed, TierBadge, when } from "./dashboard.js";
import { stageLabel } from "./leads.js";
import "./pages.css";

type Detail = Outputs["leads"]["get"];
type Lead = Detail["lead"];
type Activity = Detail["activity"];

export function LeadDetailPage({ id }: { id: string }) {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.leads.get.queryOptions({ id }), retry: (n, err) => n < 1 && !["FORBIDDEN", "NOT_FOUND"].includes(err.data?.code ?? "") });
  const code = q.error?.data?.code;
  return (
    <div>
      <p className="small"><Link to="/leads">← All leads</Link></p>
      {code === "FORBIDDEN" ? (
        <div className="state error" role="alert" data-testid="lead-forbidden">
          <strong>This lead belongs to another sales rep.</strong> You can open only the leads assigned to you.{" "}
          <Link to="/leads">See your leads</Link>
        </div>
      ) : code === "NOT_FOUND" ? (
        <Empty>There is no lead “{id}”. It may have been merged or the link is wrong. <Link to="/leads">Search the leads</Link></Empty>
      ) : (
        <QueryView query={q}>{(d) => <LeadView lead={d.lead} activity={d.activity} />}</QueryView>
      )}
    </div>
  );
}

function LeadView({ lead, activity }: { lead: Lead; activity: Activity }) {
  const p = lead.properties;
  const str = (k: string) => (typeof p[k] === "string" || typeof p[k] === "number" ? String(p[k]) : "");
  const name = [str("firstName"), str("lastName")].filter(Boolean).join(" ");
  return (
    <>
      <header className="lead-head">
        <div>
          <h1 data-testid="lead-name">{name || lead.email}</h1>
          <div>
            <a href={`mailto:${lead.email}`} data-testid="lead-email">{lead.email}</a>
            {str("jobTitle") && <span className="muted"> · {str("jobTitle")}</span>}
            {str("company") && <span className="muted"> · {str("company")}</span>}
          </div>
        </div>
      </header>
      <div className="facts">
        <div><span>Stage</span><span data-testid="lead-stage">{stageLabel(lead.stage)}</span></div>
        <div><span>Status</span><StatusBadge status={lead.status} /></div>
        <div>
          <span>Owner (sales rep)</span>
          <span data-testid="lead-owner">{lead.owner ? lead.owner.name : "Unassigned"}</span>
          {lead.owner && <span className="muted small"> · <a href={`mailto:${lead.owner.email}`}>{lead.owner.email}</a></span>}
        </div>
        <div><span>Last activity</span><span title={when(lead.lastActivityAt)}>{ago(lead.lastActivityAt)}</span></div>
        <div><span>Known since</span><span>{when(lead.createdAt)}</span></div>
      </div>

      <section className="cards" aria-label="Scores">
        <ScoreCard label="Fit" hint="who they are: the fit rules below" value={lead.scores.fit} testId="lead-fit" />
        <ScoreCard label="Engagement" hint="what they did: flow points, after decay" value={lead.scores.engagement} testId="lead-engagement" />
        <ScoreCard label="Total" hint="fit + engagement" value={lead.scores.total} testId="lead-total" />
        <div className="card stat">
          <div className="label">Tier</div>
          <div className="value"><TierBadge tier={lead.tier} testId="lead-tier" /></div>
          <div className="hint">the band the total falls in</div>
        </div>
      </section>

      <div className="grid-2 section">
        <Categories categories={lead.scores.categories} />
        <Properties properties={lead.properties} />
      </div>

      <WhyThisScore lead={lead} events={activity.events} />
      <ActivityTabs activity={activity} />
    </>
  );
}

function ScoreCard({ label, hint, value, testId }: { label: string; hint: string; value: number; testId: string }) {
  return (
    <div className="card stat">
      <div className="label">{label}</div>
      <div className="value" data-testid={testId}>{value}</div>
      <div className="hint">{hint}</div>
    </div>
  );
}

function StatusBadge({ status }: { status: string }) {
  const tone = status === "active" ? "ok" : status === "bounced" ? "bad" : "warn";
  return <span className={`badge ${tone}`} data-testid="lead-status">{status}</span>;
}

function Categories({ categories }: { categories: Record<string, number> }) {
  const entries = Object.entries(categories).sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...entries.map(([, v]) => Math.abs(v)));
  return (
    <section className="card" aria-label="Interests">
      <h2 style={{ marginTop: 0 }}>Interests</h2>
      <p className="muted small">Engagement points grouped by the category the flows gave them (e.g. pricing, a product, a topic).</p>
      {entries.length === 0 ? (
        <p className="muted">No category points yet.</p>
      ) : (
        <div className="bars">
          {entries.map(([k, v]) => (
            <div className="bar-row" key={k} data-testid="category-row">
              <span>{k}</span>
              <div className="track" role="img" aria-label={`${k}: ${v} points`}>
                <div className="bar" style={{ width: `${(Math.abs(v) / max) * 100}%`, background: v < 0 ? "var(--danger)" : undefined }} />
              </div>
              <span className="num">{v}</span>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}

const hiddenProps = new Set(["firstName", "lastName"]);
function Properties({ properties }: { properties: Record<string, unknown> }) {
  const entries = Object.entries(properties).filter(([k]) => !hiddenProps.has(k));
  return (
    <section className="card" aria-label="Properties">
      <h2 style={{ marginTop: 0 }}>Properties</h2>
      {entries.length === 0 ? (
        <p className="muted">No properties known.</p>
      ) : (
        <dl className="props">
          {entries.map(([k, v]) => (
            <div key={k} style={{ display: "contents" }}>
              <dt>{k}</dt>
              <dd>{formatValue(v)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

export const opLabels: Record<string, string> = {
  eq: "is", neq: "is not", contains: "contains", notContains: "does not contain", startsWith: "starts with",
  endsWith: "ends with", matches: "matches", in: "is one of", notIn: "is none of", gt: ">", gte: "≥", lt: "<", lte: "≤",
  exists: "is set", notExists: "is not set",
};

function formatValue(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (Array.isArray(v)) return v.map((x) => formatValue(x)).join(", ");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

const fieldLabel = (f: string) => f.replace(/^lead\./, "");

function WhyThisScore({ lead, events }: { lead: Lead; events: Activity["events"] }) {
  const eventById = new Map(events.map((e) => [e.id, e]));
  const ledger = [...lead.ledger].reverse(); // newest first
  const earned = Math.round(lead.ledger.reduce((a, l) => a + l.delta, 0) * 100) / 100;
  const fitSum = lead.fit.reduce((a, r) => a + r.points, 0);
  return (
    <section className="section" aria-label="Why this score">
      <h2>Why this score</h2>
      <div className="card">
        <h3 style={{ marginTop: 0, fontSize: "1rem" }}>Fit: the rules of the scoring model this lead matches</h3>
        {lead.fit.length === 0 ? (
          <p className="muted">No fit rule matches this lead, so its fit is 0.</p>
        ) : (
          <table data-testid="fit-rules">
            <thead><tr><th>Rule</th><th className="num">Points</th></tr></thead>
            <tbody>
              {lead.fit.map((r, i) => (
                <tr key={i} data-testid="fit-row">
                  <td>
                    <span className="mono">{fieldLabel(r.field)}</span> {opLabels[r.op] ?? r.op}{" "}
                    {r.value !== undefined && <span className="mono">{formatValue(r.value)}</span>}
                  </td>
                  <td className={`num ${r.points >= 0 ? "pos" : "neg"}`}>{signed(r.points)}</td>
                </tr>
              ))}
              <tr><td><strong>Fit</strong></td><td className="num"><strong>{fitSum}</strong></td></tr>
            </tbody>
          </table>
        )}
      </div>

      <div className="card section">
        <h3 style={{ marginTop: 0, fontSize: "1rem" }}>Engagement: points the flows gave (score ledger)</h3>
        <p className="muted small">
          Points earned in total: <strong>{earned}</strong>. Engagement now: <strong>{lead.scores.engagement}</strong>
          {earned !== lead.scores.engagement && " — the difference is decay (older points count less or expire) and category caps."}
        </p>
        {ledger.length === 0 ? (
          <p className="muted">No flow has given this lead points yet.</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="ledger">
              <thead>
                <tr><th>When</th><th className="num">Points</th><th>Category</th><th>Flow</th><th>Step (node)</th><th>Caused by event</th></tr>
              </thead>
              <tbody>
                {ledger.map((l, i) => (
                  <tr key={i} data-testid="ledger-row">
                    <td className="nowrap">{when(l.at)}</td>
                    <td className={`num ${l.delta >= 0 ? "pos" : "neg"}`}>{signed(l.delta)}</td>
                    <td>{l.category ?? <span className="muted">—</span>}</td>
                    <td>{l.flowId ? <Link to={`/flows/${encodeURIComponent(l.flowId)}`}>{l.flowId}</Link> : <span className="muted">—</span>}</td>
                    <td className="mono">{l.nodeId ?? "—"}</td>
                    <td className="small">
                      {l.eventId ? (
                        <>
                          {eventById.has(l.eventId) && <span className="badge">{eventById.get(l.eventId)!.type}</span>}{" "}
                          <span className="mono muted">{l.eventId}</span>
                        </>
                      ) : (
                        <span className="muted">— (scheduled)</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}

type Tab = "events" | "emails" | "tiers" | "runs";

function ActivityTabs({ activity }: { activity: Activity }) {
  const [tab, setTab] = useState<Tab>("events");
  const tabs: { id: Tab; label: string; n: number }[] = [
    { id: "events", label: "Events", n: activity.events.length },
    { id: "emails", label: "E-mails & notifications", n: activity.emails.length },
    { id: "tiers", label: "Tier changes", n: activity.tierChanges.length },
    { id: "runs", label: "Flow runs", n: activity.runs.length },
  ];
  return (
    <section className="section" aria-label="Activity">
      <h2>Activity</h2>
      <div className="tabs" role="tablist">
        {tabs.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={tab === t.id ? "active" : ""} onClick={() => setTab(t.id)} data-testid={`tab-${t.id}`}>
            {t.label} ({t.n})
          </button>
        ))}
      </div>
      {tab === "events" && <Events events={activity.events} />}
      {tab === "emails" && <Emails emails={activity.emails} />}
      {tab === "tiers" && <TierChanges changes={activity.tierChanges} />}
      {tab === "runs" && <Runs runs={activity.runs} />}
    </section>
  );
}

function Table({ head, children, testId }: { head: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        <thead><tr>{head}</tr></thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

function eventDetail(properties: Record<string, unknown>): ReactNode {
  if (typeof properties.url === "string") {
    return (
      <>
        <span className="mono">{properties.url}</span>
        {typeof properties.title === "string" && <span className="muted"> · {properties.title}</span>}
      </>
    );
  }
  const entries = Object.entries(properties).slice(0, 4);
  if (entries.length === 0) return <span className="muted">—</span>;
  return <span className="small">{entries.map(([k, v]) => `${k}: ${formatValue(v)}`).join(" · ")}{Object.keys(properties).length > 4 ? " · …" : ""}</span>;
}

function Events({ events }: { events: Activity["events"] }) {
  if (events.length === 0) return <Empty>No events recorded for this lead.</Empty>;
  return (
    <Table head={<><th>When</th><th>Event</th><th>Details</th></>} testId="events">
      {events.map((e) => (
        <tr key={e.id} data-testid="event-row">
          <td className="nowrap">{when(e.occurredAt)}</td>
          <td><span className="badge">{e.type}</span></td>
          <td>{eventDetail(e.properties)}</td>
        </tr>
      ))}
    </Table>
  );
}

function Emails({ emails }: { emails: Activity["emails"] }) {
  if (emails.length === 0) return <Empty>No e-mail has been sent to this lead, and no rep was notified about it.</Empty>;
  const tone = (s: string) => (s === "sent" ? "ok" : s === "dead" || s === "failed" ? "bad" : "warn");
  return (
    <Table head={<><th>Queued</th><th>Kind</th><th>Template</th><th>Status</th><th>Sent</th><th>Flow</th><th>Error</th></>} testId="emails">
      {emails.map((m) => (
        <tr key={m.id} data-testid="email-row">
          <td className="nowrap">{when(m.createdAt)}</td>
          <td>{m.kind === "notify" ? "Rep notification" : "E-mail to lead"}</td>
          <td className="mono">{m.templateId ?? "—"}</td>
          <td><span className={`badge ${tone(m.status)}`}>{m.status}</span></td>
          <td className="nowrap">{when(m.sentAt)}</td>
          <td><Link to={`/flows/${encodeURIComponent(m.flowId)}`}>{m.flowId}</Link> <span className="muted mono small">{m.nodeId}</span></td>
          <td className="error small">{m.lastError ?? ""}</td>
        </tr>
      ))}
    </Table>
  );
}

function TierChanges({ changes }: { changes: Activity["tierChanges"] }) {
  if (changes.length === 0) return <Empty>The tier has not changed since the lead was created.</Empty>;
  return (
    <Table head={<><th>When</th><th>Change</th></>} testId="tier-changes">
      {changes.map((t, i) => (
        <tr key={i}>
          <td className="nowrap">{when(t.at)}</td>
          <td><TierBadge tier={t.from} /> → <TierBadge tier={t.to} /></td>
        </tr>
      ))}
    </Table>
  );
}

function Runs({ runs }: { runs: Activity["runs"] }) {
  if (runs.length === 0) return <Empty>No flow has run for this lead yet.</Empty>;
  return (
    <Table head={<><th>Started</th><th>Flow</th><th>Version</th><th>Steps taken</th><th>Status</th></>} testId="runs">
      {runs.map((r) => (
        <tr key={r.id}>
          <td className="nowrap">{when(r.startedAt)}</td>
          <td><Link to={`/flows/${encodeURIComponent(r.flowId)}`}>{r.flowId}</Link></td>
          <td>v{r.version}</td>
          <td className="mono small">{r.path.join(" → ") || "—"}</td>
          <td><span className="badge">{r.status}</span></td>
        </tr>
      ))}
    </Table>
  );
}
