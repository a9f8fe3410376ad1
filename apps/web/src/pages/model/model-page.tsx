import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage, useTRPC, type Outputs } from "../trpc.js";
import { Link } from "../router.js";
import { Empty, ErrorState, Loading, QueryView } from "../ui/states.js";
import { byTierOrder } from "../ui/format.js";
import { TierBadge } from "../ui/tier-badge.js";
import type { ConditionOp } from "@leadflow/flow";
import { opLabels, opsFor } from "../editor/condition-ops.js";
import "./pages.css";

type Model = Outputs["model"]["get"];

type Op = ConditionOp;
const LIST_OPS = new Set<string>(["in", "notIn"]);
const NUMBER_OPS = new Set<string>(["gt", "gte", "lt", "lte"]);
const NO_VALUE_OPS = new Set<string>(["exists", "notExists"]);

const FIELD_SUGGESTIONS = [
  "jobTitle", "company", "companySize", "industry", "country", "email", "stage", "lead.daysSinceActivity",
  "behaviour.count.page_view.30d", "behaviour.daysSince.page_view",
];

/** `where` is a behaviour count's event filter, set through the API or a file; kept as it is through an edit here. */
interface RuleRow { key: number; field: string; op: Op; value: string; points: string; where?: unknown }
interface TierRow { key: number; name: string; min: string }
interface CapRow { key: number; name: string; cap: string }
interface Form {
  rules: RuleRow[];
  tiers: TierRow[];
  decayKind: "none" | "halfLife" | "expire";
  decayDays: string;
  caps: CapRow[];
}

let nextKey = 1;
const key = () => nextKey++;

const valueText = (v: unknown): string =>
  v === undefined || v === null ? "" : Array.isArray(v) ? v.map(String).join(", ") : String(v);

function toForm(m: Model): Form {
  return {
    rules: m.fitRules.map((r) => ({
      key: key(), field: r.field.replace(/^lead\./, ""), op: r.op as Op, value: valueText(r.value), points: String(r.points),
      ...("where" in r && r.where !== undefined ? { where: r.where } : {}),
    })),
    tiers: m.tiers.map((t) => ({ key: key(), name: t.name, min: String(t.min) })),
    decayKind: m.decay.kind,
    decayDays: m.decay.kind === "none" ? "30" : String(m.decay.days),
    caps: Object.entries(m.categoryCaps).map(([name, cap]) => ({ key: key(), name, cap: String(cap) })),
  };
}

const isNumber = (s: string) => s.trim() !== "" && Number.isFinite(Number(s));

/** The model as the server takes it, plus the problems the browser can already see. */
function fromForm(f: Form): { model: unknown; problems: string[] } {
  const problems: string[] = [];
  const fitRules = f.rules.map((r, i) => {
    const n = `Fit rule ${i + 1}`;
    if (!r.field.trim()) problems.push(`${n}: the field is empty`);
    if (!isNumber(r.points)) problems.push(`${n}: points must be a number`);
    let value: unknown;
    if (LIST_OPS.has(r.op)) {
      value = r.value.split(",").map((s) => s.trim()).filter(Boolean);
      if ((value as string[]).length === 0) problems.push(`${n}: give at least one value (comma-separated)`);
    } else if (NUMBER_OPS.has(r.op)) {
      if (!isNumber(r.value)) problems.push(`${n}: “${opLabels[r.op]}” needs a number`);
      value = Number(r.value);
    } else if (!NO_VALUE_OPS.has(r.op)) {
      if (r.value === "") problems.push(`${n}: the value is empty`);
      value = r.value;
    }
    return { field: r.field.trim(), op: r.op, ...(value === undefined ? {} : { value }), ...(r.where === undefined ? {} : { where: r.where }), points: Number(r.points) };
  });
  const tiers = f.tiers.map((t, i) => {
    if (!t.name.trim()) problems.push(`Tier ${i + 1}: the name is empty`);
    if (!isNumber(t.min)) problems.push(`Tier ${i + 1}: the minimum must be a number`);
    return { name: t.name.trim(), min: Number(t.min) };
  });
  if (tiers.length === 0) problems.push("Keep at least one tier");
  const decay =
    f.decayKind === "none" ? { kind: "none" } : { kind: f.decayKind, days: Number(f.decayDays) };
  if (f.decayKind !== "none" && !(isNumber(f.decayDays) && Number(f.decayDays) > 0)) problems.push("Decay: the number of days must be more than 0");
  const categoryCaps: Record<string, number> = {};
  f.caps.forEach((c, i) => {
    if (!c.name.trim()) problems.push(`Category cap ${i + 1}: the category is empty`);
    if (!(isNumber(c.cap) && Number(c.cap) > 0)) problems.push(`Category cap ${i + 1}: the cap must be a number above 0`);
    categoryCaps[c.name.trim()] = Number(c.cap);
  });
  return { model: { fitRules, tiers, decay, categoryCaps }, problems };
}

/** Server field paths (fitRules.2.value) in words. */
function fieldPath(path: string): string {
  const [head, idx, ...rest] = path.split(".");
  const names: Record<string, string> = { fitRules: "Fit rule", tiers: "Tier", decay: "Decay", categoryCaps: "Category cap" };
  if (!head) return "";
  const name = names[head] ?? head;
  if (idx !== undefined && /^\d+$/.test(idx)) return `${name} ${Number(idx) + 1}${rest.length ? ` · ${rest.join(".")}` : ""}`;
  return [name, idx, ...rest].filter(Boolean).join(" · ");
}

export function ModelPage() {
  const trpc = useTRPC();
  const q = useQuery(trpc.model.get.queryOptions());
  return (
    <div>
      <h1>Scoring model</h1>
      <p className="muted page-intro">
        A lead’s <strong>fit</strong> comes from the rules below (who they are). Its <strong>engagement</strong> comes from the
        points your flows give (what they do). <strong>Total = fit + engagement</strong>, and the total decides the tier.
        Saving recomputes every lead’s score.
      </p>
      <QueryView query={q}>
        {(m) => (
          <>
            <ModelForm initial={m} />
            <DecayPreviewSection current={m.decay} />
          </>
        )}
      </QueryView>
      <TimeZoneSection />
    </div>
  );
}

function ModelForm({ initial }: { initial: Model }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(() => toForm(initial));
  const [problems, setProblems] = useState<string[]>([]);
  const save = useMutation(
    trpc.model.save.mutationOptions({
      onSuccess: (res) => {
        setForm(toForm(res.model));
        queryClient.setQueryData(trpc.model.get.queryKey(), res.model);
        void queryClient.invalidateQueries({ queryKey: trpc.leads.pathKey() });
      },
    }),
  );
  const set = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    if (save.isSuccess || save.isError) save.reset();
  };
  const setRule = (i: number, patch: Partial<RuleRow>) => set({ rules: form.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const setTier = (i: number, patch: Partial<TierRow>) => set({ tiers: form.tiers.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const setCap = (i: number, patch: Partial<CapRow>) => set({ caps: form.caps.map((r, j) => (j === i ? { ...r, ...patch } : r)) });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { model, problems } = fromForm(form);
    setProblems(problems);
    if (problems.length === 0) save.mutate(model);
  };

  const serverFields = save.error?.data?.fields as { path: string; message: string }[] | undefined;

  return (
    <form onSubmit={submit} data-testid="model-form">
      <datalist id="fit-fields">{FIELD_SUGGESTIONS.map((f) => <option key={f} value={f} />)}</datalist>

      <section className="card" aria-labelledby="fit-title">
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
                <tr key={r.key} data-testid="fit-rule-row">
                  <td>
                    <label className="sr-only" htmlFor={`rule-field-${r.key}`}>Property of rule {i + 1}</label>
                    <input id={`rule-field-${r.key}`} list="fit-fields" value={r.field} onChange={(e) => setRule(i, { field: e.target.value })} placeholder="jobTitle" />
                  </td>
                  <td>
                    <label className="sr-only" htmlFor={`rule-op-${r.key}`}>Operator of rule {i + 1}</label>
                    <select id={`rule-op-${r.key}`} value={r.op} onChange={(e) => setRule(i, { op: e.target.value as Op })}>
                      {opsFor(r.field).map((op) => <option key={op} value={op}>{opLabels[op]} ({op})</option>)}
                    </select>
                  </td>
                  <td>
                    <label className="sr-only" htmlFor={`rule-value-${r.key}`}>Value of rule {i + 1}</label>
                    {NO_VALUE_OPS.has(r.op) ? (
                      <input id={`rule-value-${r.key}`} disabled value="" placeholder="(no value needed)" />
                    ) : (
                      <input
                        id={`rule-value-${r.key}`}
                        type={NUMBER_OPS.has(r.op) ? "number" : "text"}
                        step="any"
                        value={r.value}
                        onChange={(e) => setRule(i, { value: e.target.value })}
                        placeholder={LIST_OPS.has(r.op) ? "DK, SE, NO" : NUMBER_OPS.has(r.op) ? "100" : "Director"}
                      />
                    )}
                  </td>
                  <td>
                    <label className="sr-only" htmlFor={`rule-points-${r.key}`}>Points of rule {i + 1}</label>
                    <input id={`rule-points-${r.key}`} className="narrow" type="number" step="any" value={r.points} onChange={(e) => setRule(i, { points: e.target.value })} />
                  </td>
                  <td><button type="button" className="danger" onClick={() => set({ rules: form.rules.filter((_, j) => j !== i) })} aria-label={`Remove rule ${i + 1}`}>Remove</button></td>
                </tr>
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

      <div className="grid-2 section">
        <section className="card" aria-labelledby="tiers-title">
          <h2 id="tiers-title" style={{ marginTop: 0 }}>Tiers</h2>
          <p className="muted small">A lead is in the tier with the highest minimum that its total reaches (below all minimums: the lowest tier).</p>
          <table className="edit">
            <thead><tr><th>Name</th><th>Minimum total</th><th><span className="sr-only">Remove</span></th></tr></thead>
            <tbody>
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
            </tbody>
          </table>
          <div className="form-actions" style={{ marginTop: "0.6rem" }}>
            <button type="button" onClick={() => set({ tiers: [...form.tiers, { key: key(), name: "", min: "" }] })}>+ Add tier</button>
          </div>
        </section>

        <div>
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

          <section className="card section" aria-labelledby="caps-title">
            <h2 id="caps-title" style={{ marginTop: 0 }}>Category caps</h2>
            <p className="muted small">The most engagement points a category can give a lead (e.g. page views count for at most 30).</p>
            {form.caps.length > 0 && (
              <table className="edit">
                <thead><tr><th>Category</th><th>At most</th><th><span className="sr-only">Remove</span></th></tr></thead>
                <tbody>
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
                </tbody>
              </table>
            )}
            <div className="form-actions" style={{ marginTop: "0.6rem" }}>
              <button type="button" onClick={() => set({ caps: [...form.caps, { key: key(), name: "", cap: "30" }] })}>+ Add cap</button>
            </div>
          </section>
        </div>
      </div>

      <div className="form-actions">
        <button type="submit" className="primary" disabled={save.isPending} data-testid="model-save">
          {save.isPending ? "Saving and rescoring…" : "Save and rescore leads"}
        </button>
        <button type="button" disabled={save.isPending} onClick={() => { setForm(toForm(initial)); setProblems([]); save.reset(); }}>
          Discard changes
        </button>
        {save.isSuccess && (
          <span className="ok-msg" role="status" data-testid="model-saved">
            Saved. {save.data.rescored.leads.toLocaleString()} lead{save.data.rescored.leads === 1 ? "" : "s"} rescored
            {save.data.rescored.tierChanges > 0 && `, ${save.data.rescored.tierChanges.toLocaleString()} changed tier`}.
          </span>
        )}
      </div>
      {problems.length > 0 && (
        <ul className="field-errors" role="alert" data-testid="model-errors">
          {problems.map((p, i) => <li key={i}>{p}</li>)}
        </ul>
      )}
      {save.isError && (
        <div role="alert" data-testid="model-errors">
          {serverFields && serverFields.length > 0 ? (
            <>
              <p className="error" style={{ marginBottom: 0 }}>The model was not saved:</p>
              <ul className="field-errors">
                {serverFields.map((f, i) => <li key={i}>{f.path ? `${fieldPath(f.path)}: ` : ""}{f.message}</li>)}
              </ul>
            </>
          ) : (
            <p className="error">The model was not saved: {errorMessage(save.error)}</p>
          )}
        </div>
      )}
    </form>
  );
}

/* ---- decay preview: what a policy would do to the current leads, saving nothing ---- */

type DecayPolicy = Model["decay"];
type Preview = Outputs["model"]["previewDecay"];

const policyText = (d: DecayPolicy) =>
  d.kind === "none" ? "no decay" : d.kind === "halfLife" ? `a ${d.days}-day half-life` : `points expiring after ${d.days} days`;

function DecayPreviewSection({ current }: { current: DecayPolicy }) {
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

/* ---- workspace time zone ---- */

const timeZones: string[] = (() => {
  const f = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  try {
    return f ? f("timeZone") : [];
  } catch {
    return [];
  }
})();

function TimeZoneSection() {
  const trpc = useTRPC();
  const q = useQuery(trpc.workspace.get.queryOptions());
  return (
    <section className="card section" aria-labelledby="tz-title" data-testid="workspace-tz">
      <h2 id="tz-title" style={{ marginTop: 0 }}>Workspace time zone</h2>
      <p className="muted small">
        The time zone of “wait until” windows (e.g. next weekday at 9:00) for leads without their own <span className="mono">timeZone</span>{" "}
        property, and of segment schedules.
      </p>
      <QueryView query={q}>{(w) => <TimeZoneForm initial={w.timeZone} />}</QueryView>
    </section>
  );
}

function TimeZoneForm({ initial }: { initial: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [tz, setTz] = useState(initial);
  const save = useMutation(
    trpc.workspace.save.mutationOptions({
      onSuccess: (w) => queryClient.setQueryData(trpc.workspace.get.queryKey(), w),
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ timeZone: tz.trim() });
  };
  return (
    <form onSubmit={submit} className="filters" aria-label="Workspace time zone">
      <datalist id="time-zones">{timeZones.map((z) => <option key={z} value={z} />)}</datalist>
      <label className="grow">
        Time zone (IANA name, e.g. Europe/Budapest)
        <input
          list="time-zones"
          value={tz}
          onChange={(e) => { setTz(e.target.value); if (save.isSuccess || save.isError) save.reset(); }}
          data-testid="workspace-tz-input"
        />
      </label>
      <button type="submit" className="primary" disabled={save.isPending || tz.trim() === "" || tz.trim() === initial} data-testid="workspace-tz-save">
        {save.isPending ? "Saving…" : "Save time zone"}
      </button>
      {save.isSuccess && <span className="ok-msg" role="status">Saved.</span>}
      {save.isError && <span className="error" role="alert" data-testid="workspace-tz-error">Not saved: {errorMessage(save.error)}</span>}
    </form>
  );
}
