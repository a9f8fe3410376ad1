import type { ConditionOp } from "@leadflow/flow";
import type { Inputs, Outputs } from "../../trpc.js";
import { opLabels, opValue } from "../../editor/condition-ops.js";

/**
 * The scoring model as the form edits it (every number a string while typed) and the way back:
 * fromForm builds what the server takes and lists the problems the browser can already see.
 */

export type Model = Outputs["model"]["get"];
/** The model as `model.save` takes it. */
export type ModelInput = Inputs["model"]["save"];
type RuleInput = NonNullable<ModelInput["fitRules"]>[number];

/** `where` is a behaviour count's event filter, set through the API or a file; kept as it is through an edit here. */
export interface RuleRow { key: number; field: string; op: ConditionOp; value: string; points: string; where?: unknown }
export interface TierRow { key: number; name: string; min: string }
export interface CapRow { key: number; name: string; cap: string }
export interface Form {
  rules: RuleRow[];
  tiers: TierRow[];
  decayKind: "none" | "halfLife" | "expire";
  decayDays: string;
  caps: CapRow[];
}

/** What a section of the form gets: the form and a way to change it. */
export interface SectionProps {
  form: Form;
  set: (patch: Partial<Form>) => void;
}

let nextKey = 1;
/** A React key for a new row (rows have no id of their own). */
export const key = () => nextKey++;

/** `rows` with row `i` changed by `patch`. */
export const patchAt = <T>(rows: T[], i: number, patch: Partial<T>): T[] => rows.map((r, j) => (j === i ? { ...r, ...patch } : r));

const valueText = (v: unknown): string =>
  v === undefined || v === null ? "" : Array.isArray(v) ? v.map(String).join(", ") : String(v);

export function toForm(m: Model): Form {
  return {
    rules: m.fitRules.map((r) => ({
      key: key(), field: r.field.replace(/^lead\./, ""), op: r.op as ConditionOp, value: valueText(r.value), points: String(r.points),
      ...("where" in r && r.where !== undefined ? { where: r.where } : {}),
    })),
    tiers: m.tiers.map((t) => ({ key: key(), name: t.name, min: String(t.min) })),
    decayKind: m.decay.kind,
    decayDays: m.decay.kind === "none" ? "30" : String(m.decay.days),
    caps: Object.entries(m.categoryCaps).map(([name, cap]) => ({ key: key(), name, cap: String(cap) })),
  };
}

export const isNumber = (s: string) => s.trim() !== "" && Number.isFinite(Number(s));

function ruleValue(r: RuleRow, n: string, problems: string[]): RuleInput["value"] {
  switch (opValue(r.op)) {
    case "list": {
      const list = r.value.split(",").map((s) => s.trim()).filter(Boolean);
      if (list.length === 0) problems.push(`${n}: give at least one value (comma-separated)`);
      return list;
    }
    case "number":
      if (!isNumber(r.value)) problems.push(`${n}: “${opLabels[r.op]}” needs a number`);
      return Number(r.value);
    case "none":
      return undefined;
    case "text":
      if (r.value === "") problems.push(`${n}: the value is empty`);
      return r.value;
  }
}

/** The model as the server takes it, plus the problems the browser can already see. */
export function fromForm(f: Form): { model: ModelInput; problems: string[] } {
  const problems: string[] = [];
  const fitRules = f.rules.map((r, i) => {
    const n = `Fit rule ${i + 1}`;
    if (!r.field.trim()) problems.push(`${n}: the field is empty`);
    if (!isNumber(r.points)) problems.push(`${n}: points must be a number`);
    const value = ruleValue(r, n, problems);
    return { field: r.field.trim(), op: r.op, ...(value === undefined ? {} : { value }), ...(r.where === undefined ? {} : { where: r.where as RuleInput["where"] }), points: Number(r.points) };
  });
  const tiers = f.tiers.map((t, i) => {
    if (!t.name.trim()) problems.push(`Tier ${i + 1}: the name is empty`);
    if (!isNumber(t.min)) problems.push(`Tier ${i + 1}: the minimum must be a number`);
    return { name: t.name.trim(), min: Number(t.min) };
  });
  if (tiers.length === 0) problems.push("Keep at least one tier");
  const decay: ModelInput["decay"] = f.decayKind === "none" ? { kind: "none" } : { kind: f.decayKind, days: Number(f.decayDays) };
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
export function fieldPath(path: string): string {
  const [head, idx, ...rest] = path.split(".");
  const names: Record<string, string> = { fitRules: "Fit rule", tiers: "Tier", decay: "Decay", categoryCaps: "Category cap" };
  if (!head) return "";
  const name = names[head] ?? head;
  if (idx !== undefined && /^\d+$/.test(idx)) return `${name} ${Number(idx) + 1}${rest.length ? ` · ${rest.join(".")}` : ""}`;
  return [name, idx, ...rest].filter(Boolean).join(" · ");
}
