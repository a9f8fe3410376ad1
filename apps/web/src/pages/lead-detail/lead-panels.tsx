import { BarList } from "../../ui/chart.js";
import { formatValue } from "../../ui/format.js";

/** The small cards of the lead page: a score, the status, interests, properties. */

export function ScoreCard({ label, hint, value, testId }: { label: string; hint: string; value: number; testId: string }) {
  return (
    <div className="card stat">
      <div className="label">{label}</div>
      <div className="value" data-testid={testId}>{value}</div>
      <div className="hint">{hint}</div>
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const tone = status === "active" ? "ok" : status === "bounced" ? "bad" : "warn";
  return <span className={`badge ${tone}`} data-testid="lead-status">{status}</span>;
}

export function Categories({ categories }: { categories: Record<string, number> }) {
  const entries = Object.entries(categories).sort((a, b) => b[1] - a[1]);
  return (
    <section className="card" aria-label="Interests">
      <h2 style={{ marginTop: 0 }}>Interests</h2>
      <p className="muted small">Engagement points grouped by the category the flows gave them (e.g. pricing, a product, a topic).</p>
      {entries.length === 0 ? (
        <p className="muted">No category points yet.</p>
      ) : (
        <BarList
          rowTestId="category-row"
          bars={entries.map(([k, v]) => ({ key: k, label: k, value: v, description: `${k}: ${v} points`, ...(v < 0 ? { color: "var(--danger)" } : {}) }))}
        />
      )}
    </section>
  );
}

const hiddenProps = new Set(["firstName", "lastName"]);
export function Properties({ properties }: { properties: Record<string, unknown> }) {
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
