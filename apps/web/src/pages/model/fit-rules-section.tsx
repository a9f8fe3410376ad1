import type { ConditionOp } from "@leadflow/flow";
import { opLabels, opsFor, opValue } from "../../editor/condition-ops.js";
import { key, patchAt, type RuleRow, type SectionProps } from "./model-form-state.js";

const FIELD_SUGGESTIONS = [
  "jobTitle", "company", "companySize", "industry", "country", "email", "stage", "lead.daysSinceActivity",
  "behaviour.count.page_view.30d", "behaviour.daysSince.page_view",
];

const placeholder = { list: "DK, SE, NO", number: "100", text: "Director", none: "" } as const;

/** The fit rules: lead property · operator · value · points. */
export function FitRulesSection({ form, set }: SectionProps) {
  const setRule = (i: number, patch: Partial<RuleRow>) => set({ rules: patchAt(form.rules, i, patch) });
  return (
    <section className="card" aria-labelledby="fit-title">
      <datalist id="fit-fields">{FIELD_SUGGESTIONS.map((f) => <option key={f} value={f} />)}</datalist>
      <h2 id="fit-title" style={{ marginTop: 0 }}>Fit rules</h2>
      <p className="muted small">
        Each rule that matches a lead adds its points (negative points subtract). The field is a lead property such as
        <span className="mono"> jobTitle</span>, <span className="mono">country</span> or <span className="mono">email</span>.
        For “is one of” / “is none of” give a comma-separated list (e.g. <span className="mono">DK, SE, NO</span>).
      </p>
      {form.rules.length === 0 ? (
        <p className="muted">No fit rules: every lead has a fit of 0.</p>
      ) : (
        <table className="edit" data-testid="fit-rules-table">
          <thead>
            <tr><th>Lead property</th><th>Operator</th><th>Value</th><th>Points</th><th><span className="sr-only">Remove</span></th></tr>
          </thead>
          <tbody>
            {form.rules.map((r, i) => (
              <FitRuleRow key={r.key} rule={r} n={i + 1} set={(patch) => setRule(i, patch)} remove={() => set({ rules: form.rules.filter((_, j) => j !== i) })} />
            ))}
          </tbody>
        </table>
      )}
      <div className="form-actions" style={{ marginTop: "0.6rem" }}>
        <button type="button" onClick={() => set({ rules: [...form.rules, { key: key(), field: "", op: "eq", value: "", points: "10" }] })} data-testid="add-fit-rule">
          + Add rule
        </button>
      </div>
    </section>
  );
}

function FitRuleRow({ rule: r, n, set, remove }: { rule: RuleRow; n: number; set: (patch: Partial<RuleRow>) => void; remove: () => void }) {
  const kind = opValue(r.op);
  return (
    <tr data-testid="fit-rule-row">
      <td>
        <label className="sr-only" htmlFor={`rule-field-${r.key}`}>Property of rule {n}</label>
        <input id={`rule-field-${r.key}`} list="fit-fields" value={r.field} onChange={(e) => set({ field: e.target.value })} placeholder="jobTitle" />
      </td>
      <td>
        <label className="sr-only" htmlFor={`rule-op-${r.key}`}>Operator of rule {n}</label>
        <select id={`rule-op-${r.key}`} value={r.op} onChange={(e) => set({ op: e.target.value as ConditionOp })}>
          {opsFor(r.field).map((op) => <option key={op} value={op}>{opLabels[op]} ({op})</option>)}
        </select>
      </td>
      <td>
        <label className="sr-only" htmlFor={`rule-value-${r.key}`}>Value of rule {n}</label>
        {kind === "none" ? (
          <input id={`rule-value-${r.key}`} disabled value="" placeholder="(no value needed)" />
        ) : (
          <input
            id={`rule-value-${r.key}`}
            type={kind === "number" ? "number" : "text"}
            step="any"
            value={r.value}
            onChange={(e) => set({ value: e.target.value })}
            placeholder={placeholder[kind]}
          />
        )}
      </td>
      <td>
        <label className="sr-only" htmlFor={`rule-points-${r.key}`}>Points of rule {n}</label>
        <input id={`rule-points-${r.key}`} className="narrow" type="number" step="any" value={r.points} onChange={(e) => set({ points: e.target.value })} />
      </td>
      <td><button type="button" className="danger" onClick={remove} aria-label={`Remove rule ${n}`}>Remove</button></td>
    </tr>
  );
}
