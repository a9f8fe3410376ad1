import { useState } from "react";
import { opLabels } from "../../editor/condition-ops.js";
import type { Outputs } from "../../trpc.js";
import { Link } from "../../router.js";
import { formatValue, receivedLater, signed, when } from "../../ui/format.js";

type Lead = Outputs["leads"]["get"]["lead"];
type Activity = Outputs["leads"]["get"]["activity"];
type LedgerEntry = Lead["ledger"][number];
type EventType = (id: string) => string | undefined;

const fieldLabel = (f: string) => f.replace(/^lead\./, "");

const reasonLabel: Record<string, string> = { flow: "Flow", decay: "Decay", expire: "Expired" };
const reasonHint: Record<string, string> = {
  flow: "a flow's score step gave these points",
  decay: "the decay policy: older points lost value",
  expire: "points taken back when they expired",
};

/** The score explained: the fit rules the lead matches, then the engagement ledger. */
export function WhyThisScore({ lead, events }: { lead: Lead; events: Activity["events"] }) {
  const eventById = new Map(events.map((e) => [e.id, e.type]));
  return (
    <section className="section" aria-label="Why this score">
      <h2>Why this score</h2>
      <FitRules fit={lead.fit} />
      <EngagementLedger lead={lead} eventType={(id) => eventById.get(id)} />
    </section>
  );
}

function FitRules({ fit }: { fit: Lead["fit"] }) {
  const fitSum = fit.reduce((a, r) => a + r.points, 0);
  return (
    <div className="card">
      <h3 style={{ marginTop: 0, fontSize: "1rem" }}>Fit: the rules of the scoring model this lead matches</h3>
      {fit.length === 0 ? (
        <p className="muted">No fit rule matches this lead, so its fit is 0.</p>
      ) : (
        <table data-testid="fit-rules">
          <thead><tr><th>Rule</th><th className="num">Points</th></tr></thead>
          <tbody>
            {fit.map((r, i) => (
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
  );
}

const round = (n: number) => Math.round(n * 100) / 100;

function EngagementLedger({ lead, eventType }: { lead: Lead; eventType: EventType }) {
  const [showDecay, setShowDecay] = useState(true);
  const sumOf = (reason: string) => round(lead.ledger.filter((l) => l.reason === reason).reduce((a, l) => a + l.delta, 0));
  const earned = sumOf("flow");
  const decayed = sumOf("decay");
  const expired = sumOf("expire");
  const ledgerSum = round(earned + decayed + expired);
  const decayRows = lead.ledger.filter((l) => l.reason !== "flow").length;
  const ledger = [...lead.ledger].reverse().filter((l) => showDecay || l.reason === "flow"); // newest first
  return (
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
              {ledger.map((l, i) => <LedgerRow key={i} entry={l} eventType={eventType} />)}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function LedgerRow({ entry: l, eventType }: { entry: LedgerEntry; eventType: EventType }) {
  const later = receivedLater(l.at, l.processedAt);
  const type = l.eventId ? eventType(l.eventId) : undefined;
  return (
    <tr data-testid="ledger-row" data-reason={l.reason} className={l.reason === "flow" ? undefined : `ledger-${l.reason === "expire" ? "expire" : "decay"}`}>
      <td className="nowrap">
        {when(l.at)}
        {later && (
          <div className="muted small" title={`processed ${when(l.processedAt)}`} data-testid="ledger-received">
            {later}
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
            {type !== undefined && <span className="badge">{type}</span>}{" "}
            <span className="mono muted">{l.eventId}</span>
          </>
        ) : l.reason === "flow" ? (
          <span className="muted">— (scheduled)</span>
        ) : (
          <span className="muted">— (scheduler: {l.reason === "expire" ? "expiry" : "decay policy"})</span>
        )}
      </td>
    </tr>
  );
}
