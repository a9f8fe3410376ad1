import type { Errors } from "./fields.js";
import { eventFieldSuggestions, fieldSuggestions, isBehaviourCount, opLabels, opsFor, opValue, valuePlaceholder } from "./condition-ops.js";

interface Rule {
  field?: string;
  op?: string;
  value?: unknown;
  /** a behaviour count's own where: which of the lead's events count */
  where?: Rule[];
}


export { fieldSuggestions };

/** Parses what the user typed into the value the operator needs. */
function parseValue(op: string, text: string): unknown {
  const kind = opValue(op);
  if (kind === "none") return undefined;
  if (kind === "list") return text.split(",").map((s) => s.trim()).filter(Boolean);
  if (kind === "number") return text.trim() === "" ? undefined : Number(text);
  return text === "" ? undefined : text;
}
const showValue = (v: unknown) => (Array.isArray(v) ? v.join(", ") : v === undefined || v === null ? "" : String(v));

/**
 * Rules `field · op · value`; list values comma-separated. A behaviour count
 * (`behaviour.count.page_view.7d`) gets a nested editor for which events count (`eventsOnly`).
 */
export function ConditionsEditor({ value, onChange, errors, prefix = "where", disabled, eventsOnly }: { value: unknown; onChange: (rules: Rule[]) => void; errors: Errors; prefix?: string; disabled?: boolean; eventsOnly?: boolean }) {
  const rules: Rule[] = Array.isArray(value) ? (value as Rule[]) : [];
  const update = (i: number, patch: Rule) => onChange(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const listId = eventsOnly ? "condition-event-fields" : "condition-fields";
  const setField = (i: number, r: Rule, field: string) => {
    // a where belongs to a count only; the server refuses it on any other field
    const { where, ...rest } = r;
    const next: Rule = isBehaviourCount(field) ? { ...rest, field, where: where ?? [] } : { ...rest, field };
    onChange(rules.map((x, j) => (j === i ? next : x)));
  };
  return (
    <div className="conditions">
      <datalist id={listId}>{(eventsOnly ? eventFieldSuggestions : fieldSuggestions).map((f) => <option key={f} value={f} />)}</datalist>
      {rules.map((r, i) => {
        const err = errors.get(`${prefix}.${i}.field`) ?? errors.get(`${prefix}.${i}.op`) ?? errors.get(`${prefix}.${i}.value`) ?? errors.get(`${prefix}.${i}`);
        return (
          <div key={i} className="condition-row">
            <input aria-label="field" data-testid={`${prefix}-${i}-field`} list={listId} placeholder="event.properties.url" disabled={disabled} value={r.field ?? ""} onChange={(e) => setField(i, r, e.target.value)} />
            <select aria-label="operator" data-testid={`${prefix}-${i}-op`} disabled={disabled} value={r.op ?? "eq"} onChange={(e) => update(i, { op: e.target.value, value: parseValue(e.target.value, showValue(r.value)) })}>
              {opsFor(r.field ?? "").map((o) => <option key={o} value={o}>{opLabels[o]}</option>)}
            </select>
            {opValue(r.op ?? "eq") !== "none" && (
              <input aria-label="value" data-testid={`${prefix}-${i}-value`} disabled={disabled} placeholder={valuePlaceholder(r.op ?? "eq", r.field ?? "")} value={showValue(r.value)} onChange={(e) => update(i, { value: parseValue(r.op ?? "eq", e.target.value) })} />
            )}
            <button type="button" className="link danger" disabled={disabled} onClick={() => onChange(rules.filter((_, j) => j !== i))} aria-label="remove rule">✕</button>
            {err && <span className="field-error" role="alert">{err}</span>}
            {!eventsOnly && isBehaviourCount(r.field ?? "") && (
              <div className="condition-count-where" data-testid={`${prefix}-${i}-count-where`}>
                <span className="hint">counting only events where</span>
                <ConditionsEditor value={r.where ?? []} errors={errors} prefix={`${prefix}.${i}.where`} disabled={disabled} eventsOnly onChange={(where) => update(i, { where })} />
              </div>
            )}
          </div>
        );
      })}
      <button type="button" disabled={disabled} onClick={() => onChange([...rules, { field: "", op: "eq", value: "" }])} data-testid={`${prefix}-add`}>
        + rule
      </button>
    </div>
  );
}
