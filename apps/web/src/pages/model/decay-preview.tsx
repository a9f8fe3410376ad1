import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC, type Outputs } from "../../trpc.js";
import { Link } from "../../router.js";
import { Empty, ErrorState, Loading } from "../../ui/states.js";
import { byTierOrder } from "../../ui/format.js";
import { TierBadge } from "../../ui/tier-badge.js";
import { isNumber, type Model } from "./model-form-state.js";

/* What a decay policy would do to the current leads, saving nothing. */

type DecayPolicy = Model["decay"];
type Preview = Outputs["model"]["previewDecay"];

const policyText = (d: DecayPolicy) =>
  d.kind === "none" ? "no decay" : d.kind === "halfLife" ? `a ${d.days}-day half-life` : `points expiring after ${d.days} days`;

export function DecayPreviewSection({ current }: { current: DecayPolicy }) {
  const trpc = useTRPC();
  const [kind, setKind] = useState<DecayPolicy["kind"]>(current.kind === "none" ? "halfLife" : current.kind);
  const [days, setDays] = useState(current.kind === "none" ? "30" : String(current.days));
  const [date, setDate] = useState("");
  const [problem, setProblem] = useState("");
  const [input, setInput] = useState<{ decay: DecayPolicy; at?: string } | null>(null);
  const preview = useQuery({ ...trpc.model.previewDecay.queryOptions(input ?? { decay: { kind: "none" } }), enabled: input !== null, retry: false });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (kind !== "none" && !(isNumber(days) && Number(days) > 0)) return setProblem("The number of days must be more than 0.");
    let at: string | undefined;
    if (date) {
      const d = new Date(`${date}T00:00:00`);
      if (Number.isNaN(d.getTime())) return setProblem("The date is not valid.");
      at = d.toISOString();
    }
    setProblem("");
    setInput({ decay: kind === "none" ? { kind: "none" } : { kind, days: Number(days) }, ...(at ? { at } : {}) });
  };

  return (
    <section className="card section" aria-labelledby="preview-title" data-testid="decay-preview">
      <h2 id="preview-title" style={{ marginTop: 0 }}>Preview decay</h2>
      <p className="muted small">
        Try a decay policy before you save it: each lead’s engagement is recomputed from the points its flows gave, as if the
        policy had always applied (fit unchanged), and you see how many leads would land in each tier. Nothing is saved and no
        lead changes. The saved policy is {policyText(current)}.
      </p>
      <form onSubmit={submit} className="filters" aria-label="Decay policy to preview">
        <label>
          Policy
          <select value={kind} onChange={(e) => setKind(e.target.value as DecayPolicy["kind"])} data-testid="preview-kind">
            <option value="none">None — points keep their value</option>
            <option value="halfLife">Half-life — half the value every N days</option>
            <option value="expire">Expire — points vanish after N days</option>
          </select>
        </label>
        {kind !== "none" && (
          <label>
            Days
            <input className="narrow" type="number" min="0" step="any" value={days} onChange={(e) => setDays(e.target.value)} style={{ width: "7rem" }} data-testid="preview-days" />
          </label>
        )}
        <label>
          As of (optional — today when empty)
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="preview-date" />
        </label>
        <button type="submit" className="primary" disabled={preview.isFetching} data-testid="preview-run">
          {preview.isFetching ? "Computing…" : "Preview"}
        </button>
      </form>
      {problem && <p className="error small" role="alert">{problem}</p>}
      {input === null ? (
        <p className="muted">Pick a policy and press Preview.</p>
      ) : preview.isLoading ? (
        <Loading what="Computing the preview" />
      ) : preview.error ? (
        <ErrorState error={preview.error} retry={() => void preview.refetch()} />
      ) : preview.data ? (
        <PreviewResult preview={preview.data} />
      ) : null}
    </section>
  );
}

function PreviewResult({ preview }: { preview: Preview }) {
  const tiers = [...new Set([...Object.keys(preview.before), ...Object.keys(preview.after)])].sort(byTierOrder);
  const moved = preview.moves.reduce((a, m) => a + m.leads, 0);
  if (preview.leads === 0) return <Empty>There are no leads yet, so there is nothing to preview.</Empty>;
  return (
    <div data-testid="preview-result">
      <p>
        With {policyText(preview.decay)}, as of {new Date(preview.at).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" })}:{" "}
        <strong data-testid="preview-moved">{moved.toLocaleString()}</strong> of {preview.leads.toLocaleString()} lead{preview.leads === 1 ? "" : "s"} would change tier.
      </p>
      <div className="grid-2">
        <div className="table-wrap">
          <table data-testid="preview-tiers">
            <thead><tr><th>Tier</th><th className="num">Now</th><th className="num">Under this policy</th><th className="num">Change</th></tr></thead>
            <tbody>
              {tiers.map((t) => {
                const b = preview.before[t] ?? 0;
                const a = preview.after[t] ?? 0;
                return (
                  <tr key={t} data-testid="preview-tier-row">
                    <td><TierBadge tier={t} /></td>
                    <td className="num">{b.toLocaleString()}</td>
                    <td className="num">{a.toLocaleString()}</td>
                    <td className={`num ${a > b ? "pos" : a < b ? "neg" : "muted"}`}>{a === b ? "—" : a > b ? `+${a - b}` : `−${b - a}`}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <div>
          <h3 style={{ marginTop: 0, fontSize: "0.95rem" }}>Moves between tiers</h3>
          {preview.moves.length === 0 ? (
            <p className="muted" data-testid="preview-no-moves">No lead would change tier.</p>
          ) : (
            <ul style={{ margin: 0, paddingLeft: "1.1rem" }} data-testid="preview-moves">
              {preview.moves.map((m) => (
                <li key={`${m.from}>${m.to}`}>
                  <TierBadge tier={m.from} /> → <TierBadge tier={m.to} />: {m.leads.toLocaleString()} lead{m.leads === 1 ? "" : "s"}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      {preview.sample.length > 0 && (
        <>
          <h3 style={{ fontSize: "0.95rem" }}>Leads that would move most</h3>
          <div className="table-wrap">
            <table data-testid="preview-sample">
              <thead><tr><th>Lead</th><th>Tier</th><th className="num">Total now</th><th className="num">Total under this policy</th></tr></thead>
              <tbody>
                {preview.sample.map((x) => (
                  <tr key={x.id} data-testid="preview-sample-row">
                    <td><Link to={`/leads/${encodeURIComponent(x.id)}`}>{x.email}</Link></td>
                    <td className="nowrap"><TierBadge tier={x.tier} /> → <TierBadge tier={x.newTier} /></td>
                    <td className="num">{x.total}</td>
                    <td className={`num ${x.newTotal < x.total ? "neg" : "pos"}`}>{x.newTotal}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
