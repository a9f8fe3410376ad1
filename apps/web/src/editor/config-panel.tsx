import type { ReactNode } from "react";
import { LEAD_STAGES, NodeType, nodeCatalogue, type FlowIssue } from "@leadflow/flow";
import type { EditorNode, FlowNodeData } from "./convert.js";
import { ConditionsEditor } from "./conditions-editor.js";
import { errorsByPath, Field, NumberInput, Select, TextInput, type Errors } from "./fields.js";
import { typeLabel } from "./node-summary.js";

type Config = Record<string, unknown>;
interface FormProps {
  config: Config;
  set: (patch: Config) => void;
  errors: Errors;
  disabled: boolean;
  templates: string[];
  reps: { id: string; name: string }[];
}

const scoreRefs = ["total", "fit", "engagement", "category.pricing"];
const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function ScoreRefInput({ config, set, errors, disabled }: FormProps) {
  return (
    <Field label="Score (total, fit, engagement or category.<name>)" error={errors.get("score")}>
      <datalist id="score-refs">{scoreRefs.map((s) => <option key={s} value={s} />)}</datalist>
      <TextInput name="score" list="score-refs" value={config.score ?? "total"} disabled={disabled} onChange={(v) => set({ score: v })} />
    </Field>
  );
}

/** One form per node type. */
const forms: Record<NodeType, (p: FormProps) => ReactNode> = {
  "trigger.event": (p) => (
    <>
      <Field label="Event type" error={p.errors.get("eventType")}>
        <datalist id="event-types">{["page_view", "form_submit", "demo_request", "email_open", "email_click", "email_bounce", "unsubscribe", "webinar_attended", "download"].map((t) => <option key={t} value={t} />)}</datalist>
        <TextInput name="eventType" list="event-types" placeholder="page_view" value={p.config.eventType} disabled={p.disabled} onChange={(v) => p.set({ eventType: v })} />
      </Field>
      <Field label="Only when (all must hold)" error={p.errors.get("where")}>
        <ConditionsEditor value={p.config.where} errors={p.errors} disabled={p.disabled} onChange={(where) => p.set({ where })} />
      </Field>
    </>
  ),
  "trigger.score": (p) => (
    <>
      <Field label="Crosses the value" error={p.errors.get("crosses")}>
        <NumberInput name="crosses" value={p.config.crosses} disabled={p.disabled} onChange={(v) => p.set({ crosses: v })} />
      </Field>
      <Field label="Direction" error={p.errors.get("direction")}>
        <Select name="direction" value={p.config.direction} allowEmpty="choose…" options={[["up", "upward (rises to it)"], ["down", "downward (drops below it)"]]} disabled={p.disabled} onChange={(v) => p.set({ direction: v })} />
      </Field>
      <ScoreRefInput {...p} />
    </>
  ),
  "trigger.inactive": (p) => (
    <Field label="Days without an engagement event" error={p.errors.get("days")}>
      <NumberInput name="days" step={1} value={p.config.days} disabled={p.disabled} onChange={(v) => p.set({ days: v })} />
    </Field>
  ),
  "trigger.segment": (p) => (
    <>
      <Field label="Leads where" error={p.errors.get("where")}>
        <ConditionsEditor value={p.config.where} errors={p.errors} disabled={p.disabled} onChange={(where) => p.set({ where })} />
      </Field>
      <Field label="Match" error={p.errors.get("match")}>
        <Select name="match" value={p.config.match ?? "all"} options={[["all", "all rules"], ["any", "any rule"]]} disabled={p.disabled} onChange={(v) => p.set({ match: v })} />
      </Field>
      <Field label="Schedule (cron, 5 fields)" error={p.errors.get("cron")}>
        <TextInput name="cron" placeholder="0 9 * * 1" value={p.config.cron} disabled={p.disabled} onChange={(v) => p.set({ cron: v })} />
      </Field>
    </>
  ),
  condition: (p) => (
    <>
      <Field label="Rules" error={p.errors.get("where")}>
        <ConditionsEditor value={p.config.where} errors={p.errors} disabled={p.disabled} onChange={(where) => p.set({ where })} />
      </Field>
      <Field label="Match" error={p.errors.get("match")}>
        <Select name="match" value={p.config.match ?? "all"} options={[["all", "all rules → yes"], ["any", "any rule → yes"]]} disabled={p.disabled} onChange={(v) => p.set({ match: v })} />
      </Field>
    </>
  ),
  wait: (p) => {
    const until = p.config.until as { weekdays?: number[]; hour?: number } | undefined;
    return (
      <>
        <Field label="Wait">
          <Select name="waitMode" value={until ? "until" : "for"} options={[["for", "for a duration"], ["until", "until a weekday / hour"]]} disabled={p.disabled}
            onChange={(v) => p.set(v === "until" ? { until: { hour: 9 }, days: undefined, hours: undefined, minutes: undefined } : { until: undefined, days: 1 })} />
        </Field>
        {until ? (
          <>
            <Field label="Hour (lead's time zone)" error={p.errors.get("until")}>
              <NumberInput name="hour" step={1} value={until.hour} disabled={p.disabled} onChange={(hour) => p.set({ until: { ...until, hour } })} />
            </Field>
            <div className="weekdays">
              {weekdays.map((d, i) => (
                <label key={d} className="inline">
                  <input type="checkbox" disabled={p.disabled} checked={until.weekdays?.includes(i) ?? false}
                    onChange={(e) => p.set({ until: { ...until, weekdays: e.target.checked ? [...(until.weekdays ?? []), i].sort() : (until.weekdays ?? []).filter((x) => x !== i) } })} />
                  {d}
                </label>
              ))}
            </div>
          </>
        ) : (
          <>
            {(["days", "hours", "minutes"] as const).map((k) => (
              <Field key={k} label={k} error={p.errors.get(k)}>
                <NumberInput name={k} value={p.config[k]} disabled={p.disabled} onChange={(v) => p.set({ [k]: v })} />
              </Field>
            ))}
            {p.errors.get("") && <span className="field-error">{p.errors.get("")}</span>}
          </>
        )}
      </>
    );
  },
  split: (p) => {
    const variants = Array.isArray(p.config.variants) ? (p.config.variants as { name: string; weight: number }[]) : [];
    const setV = (vs: { name: string; weight: number }[]) => p.set({ variants: vs });
    return (
      <Field label="Variants (name · weight)" error={p.errors.get("variants")}>
        {variants.map((v, i) => (
          <div key={i} className="condition-row">
            <input aria-label="variant name" disabled={p.disabled} value={v.name} onChange={(e) => setV(variants.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} />
            <input aria-label="weight" type="number" disabled={p.disabled} value={v.weight} onChange={(e) => setV(variants.map((x, j) => (j === i ? { ...x, weight: Number(e.target.value) } : x)))} />
            <button type="button" className="link danger" disabled={p.disabled} onClick={() => setV(variants.filter((_, j) => j !== i))}>✕</button>
          </div>
        ))}
        <button type="button" disabled={p.disabled} onClick={() => setV([...variants, { name: String.fromCharCode(97 + variants.length), weight: 1 }])}>+ variant</button>
      </Field>
    );
  },
  exit: () => <p className="muted">Ends the run here.</p>,
  "score.add": (p) => (
    <>
      <Field label="Points (negative to subtract)" error={p.errors.get("points")}>
        <NumberInput name="points" value={p.config.points} disabled={p.disabled} onChange={(v) => p.set({ points: v })} />
      </Field>
      <Field label="Category (optional: product or topic interest)" error={p.errors.get("category")}>
        <TextInput name="category" placeholder="pricing" value={p.config.category} disabled={p.disabled} onChange={(v) => p.set({ category: v })} />
      </Field>
      <Field label="Expires after days (optional)" error={p.errors.get("expiresAfterDays")}>
        <NumberInput name="expiresAfterDays" value={p.config.expiresAfterDays} disabled={p.disabled} onChange={(v) => p.set({ expiresAfterDays: v })} />
      </Field>
    </>
  ),
  "score.threshold": (p) => (
    <>
      <Field label="At least" error={p.errors.get("atLeast")}>
        <NumberInput name="atLeast" value={p.config.atLeast} disabled={p.disabled} onChange={(v) => p.set({ atLeast: v })} />
      </Field>
      <ScoreRefInput {...p} />
      <p className="muted">Passes once when the score is at least the value; again only after it dropped below.</p>
    </>
  ),
  "email.send": (p) => (
    <Field label="Template" error={p.errors.get("templateId")}>
      <Select name="templateId" value={p.config.templateId} allowEmpty="choose a template…" options={p.templates} disabled={p.disabled} onChange={(v) => p.set({ templateId: v })} />
    </Field>
  ),
  "sales.assign": (p) => (
    <>
      <Field label="Strategy" error={p.errors.get("strategy")}>
        <Select name="strategy" value={p.config.strategy} allowEmpty="choose…" options={[["round_robin", "round robin"], ["least_loaded", "least loaded"], ["territory", "by territory"]]} disabled={p.disabled} onChange={(v) => p.set({ strategy: v })} />
      </Field>
      {p.config.strategy === "territory" && (
        <Field label="Lead property matched against territories" error={p.errors.get("property")}>
          <TextInput name="property" value={p.config.property ?? "country"} disabled={p.disabled} onChange={(v) => p.set({ property: v })} />
        </Field>
      )}
      <Field label="Pool (none selected = all active reps)" error={p.errors.get("pool")}>
        <div className="weekdays">
          {p.reps.map((r) => {
            const pool = Array.isArray(p.config.pool) ? (p.config.pool as string[]) : [];
            return (
              <label key={r.id} className="inline">
                <input type="checkbox" disabled={p.disabled} checked={pool.includes(r.id)} onChange={(e) => {
                  const next = e.target.checked ? [...pool, r.id] : pool.filter((x) => x !== r.id);
                  p.set({ pool: next.length ? next : undefined });
                }} />
                {r.name}
              </label>
            );
          })}
        </div>
      </Field>
    </>
  ),
  "sales.notify": (p) => (
    <Field label="To: owner, or an e-mail address" error={p.errors.get("to")}>
      <TextInput name="to" placeholder="owner" value={p.config.to} disabled={p.disabled} onChange={(v) => p.set({ to: v })} />
    </Field>
  ),
  "lead.update": (p) => {
    const props = (p.config.properties as Record<string, unknown> | undefined) ?? {};
    const entries = Object.entries(props);
    const setProps = (e: [string, unknown][]) => p.set({ properties: e.length ? Object.fromEntries(e) : undefined });
    return (
      <>
        <Field label="Stage" error={p.errors.get("stage")}>
          <Select name="stage" value={p.config.stage} allowEmpty="(unchanged)" options={LEAD_STAGES} disabled={p.disabled} onChange={(v) => p.set({ stage: v })} />
        </Field>
        <Field label="Properties" error={p.errors.get("properties") ?? p.errors.get("")}>
          {entries.map(([k, v], i) => (
            <div key={i} className="condition-row">
              <input aria-label="property" disabled={p.disabled} value={k} onChange={(e) => setProps(entries.map((x, j) => (j === i ? [e.target.value, x[1]] : x)))} />
              <input aria-label="value" disabled={p.disabled} value={String(v ?? "")} onChange={(e) => setProps(entries.map((x, j) => (j === i ? [x[0], e.target.value] : x)))} />
              <button type="button" className="link danger" disabled={p.disabled} onClick={() => setProps(entries.filter((_, j) => j !== i))}>✕</button>
            </div>
          ))}
          <button type="button" disabled={p.disabled} onClick={() => setProps([...entries, [`property${entries.length + 1}`, ""]])}>+ property</button>
        </Field>
      </>
    );
  },
  webhook: (p) => (
    <>
      <Field label="URL" error={p.errors.get("url")}>
        <TextInput name="url" placeholder="https://example.com/hook" value={p.config.url} disabled={p.disabled} onChange={(v) => p.set({ url: v })} />
      </Field>
      <Field label="Method" error={p.errors.get("method")}>
        <Select name="method" value={p.config.method ?? "POST"} options={["POST", "PUT"]} disabled={p.disabled} onChange={(v) => p.set({ method: v })} />
      </Field>
    </>
  ),
};

/** The side panel of the selected node: its label and a form for its config, checked as you type. */
export function ConfigPanel({ node, issues, onChange, onDelete, readOnly, templates, reps }: {
  node: EditorNode;
  issues: FlowIssue[];
  onChange: (data: FlowNodeData) => void;
  onDelete: () => void;
  readOnly: boolean;
  templates: string[];
  reps: { id: string; name: string }[];
}) {
  const known = NodeType.safeParse(node.data.type);
  const config = node.data.config;
  const parsed = known.success ? nodeCatalogue[known.data].config.safeParse(config) : undefined;
  const errors = parsed && !parsed.success ? errorsByPath(parsed.error.issues) : new Map<string, string>();
  const set = (patch: Config) => {
    const next: Config = { ...config, ...patch };
    for (const [k, v] of Object.entries(next)) if (v === undefined) delete next[k];
    onChange({ ...node.data, config: next });
  };
  const Form = known.success ? forms[known.data] : undefined;
  // issues not tied to a config field (graph problems, unknown template) are listed too
  const other = issues.filter((i) => i.code !== "bad_config");
  return (
    <aside className="config-panel" aria-label="Node settings" data-testid="config-panel">
      <h3>{typeLabel(node.data.type)} <span className="muted">{node.id}</span></h3>
      <Field label="Label (shown on the canvas)">
        <input name="label" data-testid="config-label" disabled={readOnly} value={node.data.label ?? ""} onChange={(e) => onChange({ ...node.data, label: e.target.value || undefined })} />
      </Field>
      {Form ? <Form config={config} set={set} errors={errors} disabled={readOnly} templates={templates} reps={reps} /> : <p className="error">Unknown node type {node.data.type}.</p>}
      {other.length > 0 && (
        <ul className="issues-inline">
          {other.map((i, k) => <li key={k} className="error">{i.message}</li>)}
        </ul>
      )}
      {!readOnly && <button className="danger" onClick={onDelete}>Delete node</button>}
    </aside>
  );
}
