import { useQuery } from "@tanstack/react-query";
import { opLabels } from "../editor/condition-ops.js";
import { useState, type ReactNode } from "react";
import { useTRPC, type Outputs } from "../trpc.js";
import { Link } from "../router.js";
import { Empty, QueryView } from "../ui/states.js";
import { ago, signed, TierBadge, when } from "./dashboard.js";
import { stageLabel } from "./leads.js";
import { receivedLater } from "../format/received-later.js";
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

      <TrendChart trend={lead.trend} />

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


function formatValue(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (Array.isArray(v)) return v.map((x) => formatValue(x)).join(", ");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

const fieldLabel = (f: string) => f.replace(/^lead\./, "");

const reasonLabel: Record<string, string> = { flow: "Flow", decay: "Decay", expire: "Expired" };
const reasonHint: Record<string, string> = {
  flow: "a flow's score step gave these points",
  decay: "the decay policy: older points lost value",
  expire: "points taken back when they expired",
};

function WhyThisScore({ lead, events }: { lead: Lead; events: Activity["events"] }) {
  const eventById = new Map(events.map((e) => [e.id, e]));
  const [showDecay, setShowDecay] = useState(true);
  const round = (n: number) => Math.round(n * 100) / 100;
  const sumOf = (reason: string) => round(lead.ledger.filter((l) => l.reason === reason).reduce((a, l) => a + l.delta, 0));
  const earned = sumOf("flow");
  const decayed = sumOf("decay");
  const expired = sumOf("expire");
  const ledgerSum = round(earned + decayed + expired);
  const decayRows = lead.ledger.filter((l) => l.reason !== "flow").length;
  const ledger = [...lead.ledger].reverse().filter((l) => showDecay || l.reason === "flow"); // newest first
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
                    <span className="mono">{fieldLabel(r.field)}</span> {(opLabels as Record<string, string>)[r.op] ?? r.op}{" "}
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
        <h3 style={{ marginTop: 0, fontSize: "1rem" }}>Engagement: points the flows gave, and what decay took back (score ledger)</h3>
        <p className="muted small" data-testid="ledger-summary">
          Points earned from flows: <strong>{earned}</strong>
          {decayed !== 0 && <> · decay: <strong>{signed(decayed)}</strong></>}
          {expired !== 0 && <> · expired: <strong>{signed(expired)}</strong></>}
          . Engagement now: <strong>{lead.scores.engagement}</strong>
          {ledgerSum !== lead.scores.engagement &&
            (decayRows === 0
              ? " — the difference is decay not yet recorded (the scheduler records it at most once a day) and category caps."
              : " — the difference is category caps and decay not yet recorded.")}
        </p>
        {decayRows > 0 && (
          <label className="inline-label small" style={{ marginBottom: "0.5rem" }}>
            <input type="checkbox" checked={showDecay} onChange={(e) => setShowDecay(e.target.checked)} data-testid="ledger-show-decay" />
            Show decay and expiry rows ({decayRows})
          </label>
        )}
        {lead.ledger.length === 0 ? (
          <p className="muted">No flow has given this lead points yet.</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="ledger">
              <thead>
                <tr><th>When</th><th>Reason</th><th className="num">Points</th><th>Category</th><th>Flow</th><th>Step (node)</th><th>Caused by event</th></tr>
              </thead>
              <tbody>
                {ledger.map((l, i) => (
                  <tr key={i} data-testid="ledger-row" data-reason={l.reason} className={l.reason === "flow" ? undefined : `ledger-${l.reason === "expire" ? "expire" : "decay"}`}>
                    <td className="nowrap">
                      {when(l.at)}
                      {receivedLater(l.at, l.processedAt) && (
                        <div className="muted small" title={`processed ${when(l.processedAt)}`} data-testid="ledger-received">
                          {receivedLater(l.at, l.processedAt)}
                        </div>
                      )}
                    </td>
                    <td>
                      <span className={`badge reason-${l.reason}`} title={reasonHint[l.reason] ?? l.reason} data-testid="ledger-reason">
                        {reasonLabel[l.reason] ?? l.reason}
                      </span>
                    </td>
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
                      ) : l.reason === "flow" ? (
                        <span className="muted">— (scheduled)</span>
                      ) : (
                        <span className="muted">— (scheduler: {l.reason === "expire" ? "expiry" : "decay policy"})</span>
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

/* ---- weekly trend: an inline SVG line chart ---- */

const series = [
  { key: "total", label: "Total", color: "#3b5bdb", dash: undefined },
  { key: "fit", label: "Fit", color: "#2b8a3e", dash: "5 4" },
  { key: "engagement", label: "Engagement", color: "#e8590c", dash: undefined },
] as const;

/** A round step for about `count` ticks over `span` (1, 2, 5 × 10^n). */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const n = raw / mag;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
}

const weekLabel = (iso: string) => {
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
};

function TrendChart({ trend }: { trend: Lead["trend"] }) {
  return (
    <section className="card section" aria-labelledby="trend-title" data-testid="trend">
      <h2 id="trend-title" style={{ marginTop: 0 }}>Weekly trend</h2>
      {trend.length < 2 ? (
        <Empty>
          <span data-testid="trend-empty">
            Not enough history for a trend yet: scores are snapshotted once a week (Monday 00:00 UTC) and the chart needs two
            weeks. {trend.length === 1 ? "One snapshot so far." : "No snapshot so far."}
          </span>
        </Empty>
      ) : (
        <TrendSvg trend={trend} />
      )}
    </section>
  );
}

function TrendSvg({ trend }: { trend: Lead["trend"] }) {
  const W = 720, H = 240, L = 48, R = 16, T = 12, B = 34;
  const values = trend.flatMap((p) => [p.total, p.fit, p.engagement]);
  let lo = Math.min(0, ...values);
  let hi = Math.max(...values);
  if (hi - lo < 1) hi = lo + 1;
  const step = niceStep(hi - lo, 4);
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  const x = (i: number) => L + (i * (W - L - R)) / (trend.length - 1);
  const y = (v: number) => T + ((hi - v) * (H - T - B)) / (hi - lo);
  const labelEvery = Math.ceil(trend.length / 8);
  const last = trend[trend.length - 1]!;
  const first = trend[0]!;
  const summary =
    `Weekly scores from ${weekLabel(first.week)} to ${weekLabel(last.week)}: ` +
    `total ${first.total} → ${last.total}, fit ${first.fit} → ${last.fit}, engagement ${first.engagement} → ${last.engagement}.`;
  return (
    <>
      <ul className="legend" aria-label="Legend">
        {series.map((s) => (
          <li key={s.key}>
            <svg width="22" height="10" aria-hidden="true">
              <line x1="0" y1="5" x2="22" y2="5" stroke={s.color} strokeWidth="2.5" strokeDasharray={s.dash} />
            </svg>
            {s.label}
          </li>
        ))}
      </ul>
      <svg className="trend-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} data-testid="trend-chart">
        {ticks.map((v) => (
          <g key={v}>
            <line x1={L} x2={W - R} y1={y(v)} y2={y(v)} stroke={v === 0 ? "#adb5bd" : "#eef1f5"} />
            <text x={L - 6} y={y(v)} textAnchor="end" dominantBaseline="middle" className="axis">{v}</text>
          </g>
        ))}
        <text x={12} y={T + (H - T - B) / 2} transform={`rotate(-90 12 ${T + (H - T - B) / 2})`} textAnchor="middle" className="axis">points</text>
        {trend.map((p, i) =>
          i % labelEvery === 0 || i === trend.length - 1 ? (
            <text key={p.week} x={x(i)} y={H - B + 16} textAnchor={i === 0 ? "start" : i === trend.length - 1 ? "end" : "middle"} className="axis">
              {weekLabel(p.week)}
            </text>
          ) : null,
        )}
        <line x1={L} x2={W - R} y1={H - B} y2={H - B} stroke="#adb5bd" />
        {series.map((s) => (
          <g key={s.key} data-testid={`trend-${s.key}`}>
            <polyline
              fill="none"
              stroke={s.color}
              strokeWidth="2.5"
              strokeDasharray={s.dash}
              strokeLinejoin="round"
              points={trend.map((p, i) => `${x(i).toFixed(1)},${y(p[s.key]).toFixed(1)}`).join(" ")}
            />
            {trend.map((p, i) => (
              <circle key={p.week} cx={x(i)} cy={y(p[s.key])} r="3.5" fill="#fff" stroke={s.color} strokeWidth="2">
                <title>{`${s.label}, week of ${weekLabel(p.week)}: ${p[s.key]}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <p className="muted small" style={{ margin: "0.3rem 0 0" }}>Week starting (Monday, UTC); one snapshot a week.</p>
    </>
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
