import { ConditionOp, parseBehaviourField } from "@leadflow/flow";

/** How an operator reads in a sentence ("country is one of DK, SE"). */
export const opLabels: Record<ConditionOp, string> = {
  eq: "is", neq: "is not", contains: "contains", notContains: "does not contain", startsWith: "starts with",
  endsWith: "ends with", matches: "matches regex", glob: "matches page rule", in: "is one of", notIn: "is none of",
  gt: ">", gte: "≥", lt: "<", lte: "≤", exists: "is set", notExists: "is not set",
};

/** The value an operator takes: text, a (comma-separated) list, a number, or none at all. */
export type OpValue = "text" | "list" | "number" | "none";
const opValues: Record<ConditionOp, OpValue> = {
  eq: "text", neq: "text", contains: "text", notContains: "text", startsWith: "text", endsWith: "text", matches: "text", glob: "text",
  in: "list", notIn: "list", gt: "number", gte: "number", lt: "number", lte: "number", exists: "none", notExists: "none",
};
/** An operator's value kind; `op` may be anything a form holds (an unknown op takes text). */
export const opValue = (op: string): OpValue => (opValues as Record<string, OpValue | undefined>)[op] ?? "text";

/** Fields holding a URL or a path, where page rules (contains, starts with, glob, regex) come first. */
export function isUrlField(field: string): boolean {
  return /(^|\.)(url|path|page|referrer|href|landingPage)$/i.test(field.trim());
}

/** A behaviour count takes a where of its own: which of the lead's events count. */
export const isBehaviourCount = (field: string): boolean => parseBehaviourField(field.trim())?.kind === "count";

const PAGE_OPS: ConditionOp[] = ["contains", "startsWith", "glob", "matches"];
const NUMBER_OPS: ConditionOp[] = ["gte", "gt", "lte", "lt", "eq", "neq"];

/** Every operator, those that suit the field first. */
export function opsFor(field: string): ConditionOp[] {
  const all = ConditionOp.options;
  const first = isUrlField(field) ? PAGE_OPS : parseBehaviourField(field.trim()) ? NUMBER_OPS : [];
  return [...first, ...all.filter((o) => !first.includes(o))];
}

/** A hint of what the value looks like for this operator. */
export function valuePlaceholder(op: string, field: string): string {
  if (opValue(op) === "list") return "a, b, c";
  if (op === "glob") return "/pricing/**";
  if (op === "matches") return isUrlField(field) ? "/products?/[^/]+" : "regex";
  if (op === "startsWith" && isUrlField(field)) return "/pricing";
  if (parseBehaviourField(field.trim())) return "3";
  return "value";
}

/** Suggestions for the field box; behaviour fields show their syntax by example. */
export const fieldSuggestions = [
  "event.type", "event.properties.url", "event.properties.title", "lead.email", "lead.stage", "lead.country", "lead.jobTitle",
  "lead.company", "lead.industry", "lead.companySize", "score.total", "score.fit", "score.engagement", "score.category.pricing", "tier",
  "lead.daysSinceActivity", "behaviour.count.page_view.7d", "behaviour.count.page_view.30d", "behaviour.count.form_submit.30d",
  "behaviour.daysSince.demo_request", "behaviour.daysSince.page_view",
];

/** What a count's own where may read. */
export const eventFieldSuggestions = ["event.properties.url", "event.properties.title", "event.properties.referrer", "event.type"];
