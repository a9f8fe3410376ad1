import { useState, type ReactNode } from "react";
import type { Outputs } from "../../trpc.js";
import { Link } from "../../router.js";
import { Empty } from "../../ui/states.js";
import { formatValue, when } from "../../ui/format.js";
import { TierBadge } from "../../ui/tier-badge.js";

type Activity = Outputs["leads"]["get"]["activity"];

/** What happened to the lead, one tab per kind: events, e-mails, tier changes, flow runs. */
type Tab = "events" | "emails" | "tiers" | "runs";

export function ActivityTabs({ activity }: { activity: Activity }) {
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
