import type { ReactNode } from "react";
import type { Form, SectionProps } from "./model-form-state.js";
import { key, patchAt } from "./model-form-state.js";

/** The tiers (name · minimum total), one row per tier; at least one stays. */
export function TiersSection({ form, set }: SectionProps) {
  const setTier = (i: number, patch: Partial<Form["tiers"][number]>) => set({ tiers: patchAt(form.tiers, i, patch) });
  return (
    <section className="card" aria-labelledby="tiers-title">
      <h2 id="tiers-title" style={{ marginTop: 0 }}>Tiers</h2>
      <p className="muted small">A lead is in the tier with the highest minimum that its total reaches (below all minimums: the lowest tier).</p>
      <EditRows head={["Name", "Minimum total"]} addLabel="+ Add tier" onAdd={() => set({ tiers: [...form.tiers, { key: key(), name: "", min: "" }] })}>
        {form.tiers.map((t, i) => (
          <tr key={t.key} data-testid="tier-row">
            <td>
              <label className="sr-only" htmlFor={`tier-name-${t.key}`}>Name of tier {i + 1}</label>
              <input id={`tier-name-${t.key}`} value={t.name} onChange={(e) => setTier(i, { name: e.target.value })} />
            </td>
            <td>
              <label className="sr-only" htmlFor={`tier-min-${t.key}`}>Minimum total of tier {i + 1}</label>
              <input id={`tier-min-${t.key}`} type="number" step="any" value={t.min} onChange={(e) => setTier(i, { min: e.target.value })} />
            </td>
            <td>
              <button type="button" className="danger" disabled={form.tiers.length <= 1} onClick={() => set({ tiers: form.tiers.filter((_, j) => j !== i) })} aria-label={`Remove tier ${t.name || i + 1}`}>Remove</button>
            </td>
          </tr>
        ))}
      </EditRows>
    </section>
  );
}

/** How engagement points lose value: none, a half-life, or expiry after N days. */
export function DecaySection({ form, set }: SectionProps) {
  return (
    <section className="card" aria-labelledby="decay-title">
      <h2 id="decay-title" style={{ marginTop: 0 }}>Engagement decay</h2>
      <p className="muted small">How old engagement points lose value, so leads who went quiet cool down. Fit never decays.</p>
      <label>
        Policy
        <select value={form.decayKind} onChange={(e) => set({ decayKind: e.target.value as Form["decayKind"] })} data-testid="decay-kind">
          <option value="none">None — points keep their value</option>
          <option value="halfLife">Half-life — points lose half their value every N days</option>
          <option value="expire">Expire — points vanish after N days</option>
        </select>
      </label>
      {form.decayKind !== "none" && (
        <label>
          Days
          <input type="number" min="0" step="any" value={form.decayDays} onChange={(e) => set({ decayDays: e.target.value })} data-testid="decay-days" />
        </label>
      )}
    </section>
  );
}

/** The most engagement points each category may give a lead. */
export function CapsSection({ form, set }: SectionProps) {
  const setCap = (i: number, patch: Partial<Form["caps"][number]>) => set({ caps: patchAt(form.caps, i, patch) });
  return (
    <section className="card section" aria-labelledby="caps-title">
      <h2 id="caps-title" style={{ marginTop: 0 }}>Category caps</h2>
      <p className="muted small">The most engagement points a category can give a lead (e.g. page views count for at most 30).</p>
      <EditRows head={["Category", "At most"]} show={form.caps.length > 0} addLabel="+ Add cap" onAdd={() => set({ caps: [...form.caps, { key: key(), name: "", cap: "30" }] })}>
        {form.caps.map((c, i) => (
          <tr key={c.key} data-testid="cap-row">
            <td>
              <label className="sr-only" htmlFor={`cap-name-${c.key}`}>Category of cap {i + 1}</label>
              <input id={`cap-name-${c.key}`} value={c.name} onChange={(e) => setCap(i, { name: e.target.value })} placeholder="pageviews" />
            </td>
            <td>
              <label className="sr-only" htmlFor={`cap-value-${c.key}`}>Points cap of category {c.name || i + 1}</label>
              <input id={`cap-value-${c.key}`} type="number" min="0" step="any" value={c.cap} onChange={(e) => setCap(i, { cap: e.target.value })} />
            </td>
            <td><button type="button" className="danger" onClick={() => set({ caps: form.caps.filter((_, j) => j !== i) })} aria-label={`Remove cap ${c.name || i + 1}`}>Remove</button></td>
          </tr>
        ))}
      </EditRows>
    </section>
  );
}

/** A table of editable rows, the last column a row's Remove button, and the button that adds a row. */
function EditRows({ head, show = true, addLabel, onAdd, children }: { head: string[]; show?: boolean; addLabel: string; onAdd: () => void; children: ReactNode }) {
  return (
    <>
      {show && (
        <table className="edit">
          <thead><tr>{head.map((h) => <th key={h}>{h}</th>)}<th><span className="sr-only">Remove</span></th></tr></thead>
          <tbody>{children}</tbody>
        </table>
      )}
      <div className="form-actions" style={{ marginTop: "0.6rem" }}>
        <button type="button" onClick={onAdd}>{addLabel}</button>
      </div>
    </>
  );
}
