import { ConditionOp } from "@leadflow/flow";
import type { Errors } from "./fields.js";

interface Rule {
  field?: string;
  op?: string;
  value?: unknown;
}

const ops = ConditionOp.options;
const listOps = new Set(["in", "notIn"]);
const numberOps = new Set(["gt", "gte", "lt", "lte"]);
const noValueOps = new Set(["exists", "notExists"]);

export const fieldSuggestions = [
  "event.type", "event.properties.url", "event.properties.title", "lead.email", "lead.stage", "lead.country", "lead.jobTitle",
  "lead.company", "lead.industry", "lead.companySize", "score.total", "score.fit", "score.engagement", "score.category.pricing", "tier",
];

/** Parses what the user typed into the value the operator needs. */
function parseValue(op: string, text: string): unknown {
  if (noValueOps.has(op)) return undefined;
  if (listOps.has(op)) return text.split(",").map((s) => s.trim()).filter(Boolean);
  if (numberOps.has(op)) return text.trim() === "" ? undefined : Number(text);
  return text === "" ? undefined : text;
}
const showValue = (v: unknown) => (Array.isArray(v) ? v.join(", ") : v === undefined || v === null ? "" : String(v));

/** Rules `field · op · value`; list values comma-separated. */
export function ConditionsEditor({ value, onChange, errors, prefix = "where", disabled }: { value: unknown; onChange: (rules: Rule[]) => void; errors: Errors; prefix?: string; disabled?: boolean }) {
  const rules: Rule[] = Array.isArray(value) ? (value as Rule[]) : [];
  const update = (i: number, patch: Rule) => onChange(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="conditions">
      <datalist id="condition-fields">{fieldSuggestions.map((f) => <option key={f} value={f} />)}</datalist>
      {rules.map((r, i) => {
        const err = errors.get(`${prefix}.${i}.field`) ?? errors.get(`${prefix}.${i}.op`) ?? errors.get(`${prefix}.${i}.value`) ?? errors.get(`${prefix}.${i}`);
        return (
          <div key={i} className="condition-row">
            <input aria-label="field" data-testid={`${prefix}-${i}-field`} list="condition-fields" placeholder="event.properties.url" disabled={disabled} value={r.field ?? ""} onChange={(e) => update(i, { field: e.target.value })} />
            <select aria-label="operator" data-testid={`${prefix}-${i}-op`} disabled={disabled} value={r.op ?? "eq"} onChange={(e) => update(i, { op: e.target.value, value: parseValue(e.target.value, showValue(r.value)) })}>
              {ops.map((o) => <option key={o} value={o}>{o}</option>)}
            </select>
            {!noValueOps.has(r.op ?? "eq") && (
              <input aria-label="value" data-testid={`${prefix}-${i}-value`} disabled={disabled} placeholder={listOps.has(r.op ?? "") ? "a, b, c" : "value"} value={showValue(r.value)} onChange={(e) => update(i, { value: parseValue(r.op ?? "eq", e.target.value) })} />
            )}
            <button type="button" className="link danger" disabled={disabled} onClick={() => onChange(rules.filter((_, j) => j !== i))} aria-label="remove rule">✕</button>
            {err && <span className="field-error" role="alert">{err}</span>}
          </div>
        );
      })}
      <button type="button" disabled={disabled} onClick={() => onChange([...rules, { field: "", op: "eq", value: "" }])} data-testid={`${prefix}-add`}>
        + rule
      </button>
    </div>
  );
}
