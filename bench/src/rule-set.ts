/**
 * Part 3's rules. One neutral list of 48 scoring rules, written out twice: as a Leadflow flow
 * (a trigger.event with `where` → score.add, per rule) and as json-rules-engine rules.
 */
import type { RuleProperties, TopLevelCondition } from "json-rules-engine";

type Op = "eq" | "contains" | "startsWith" | "endsWith" | "matches" | "in" | "gt" | "gte" | "lt";
interface Cond {
  prop: string;
  op: Op;
  value: string | number | string[];
}
export interface ScoringRule {
  eventType: string;
  where: Cond[];
  points: number;
}

const c = (prop: string, op: Op, value: Cond["value"]): Cond => ({ prop, op, value });
const url = (op: Op, value: string) => c("url", op, value);

export const scoringRules: ScoringRule[] = [
  // page_view: 30 rules on the URL, time on page, scroll depth, referrer and campaign
  ...(
    [
      ["/pricing", 15], ["/pricing/enterprise", 10], ["/docs", 2], ["/docs/api", 3], ["/blog", 1], ["/case-studies", 5],
      ["/integrations", 3], ["/security", 4], ["/careers", -5], ["/changelog", 1], ["/compare", 6], ["/roi-calculator", 8],
      ["/contact", 7], ["/partners", 2], ["/webinars", 2], ["/about", 1],
    ] as const
  ).map(([path, points]) => ({ eventType: "page_view", where: [url("contains", path)], points })),
  { eventType: "page_view", where: [url("eq", "https://example.com/")], points: 1 },
  { eventType: "page_view", where: [url("eq", "https://example.com/pricing")], points: 5 },
  { eventType: "page_view", where: [url("eq", "https://example.com/demo")], points: 10 },
  { eventType: "page_view", where: [url("eq", "https://example.com/trial")], points: 8 },
  { eventType: "page_view", where: [url("startsWith", "https://example.com/docs/"), c("timeOnPage", "gt", 60)], points: 3 },
  { eventType: "page_view", where: [url("contains", "/pricing"), c("timeOnPage", "gte", 120)], points: 10 },
  { eventType: "page_view", where: [url("contains", "/blog"), c("scrollDepth", "gte", 75)], points: 2 },
  { eventType: "page_view", where: [c("referrer", "contains", "google")], points: 1 },
  { eventType: "page_view", where: [c("referrer", "contains", "linkedin")], points: 2 },
  { eventType: "page_view", where: [c("utm_campaign", "eq", "spring-launch")], points: 3 },
  { eventType: "page_view", where: [c("utm_source", "in", ["g2", "capterra"])], points: 5 },
  { eventType: "page_view", where: [c("timeOnPage", "gt", 300)], points: 4 },
  { eventType: "page_view", where: [url("endsWith", ".pdf")], points: 2 },
  { eventType: "page_view", where: [url("matches", "/docs/v[0-9]+/")], points: 1 },
  // demo_request: 3
  { eventType: "demo_request", where: [], points: 30 },
  { eventType: "demo_request", where: [c("company_size", "gte", 200)], points: 20 },
  { eventType: "demo_request", where: [c("country", "in", ["HU", "AT", "DE"])], points: 5 },
  // form_submit: 5
  { eventType: "form_submit", where: [c("form", "eq", "newsletter")], points: 3 },
  { eventType: "form_submit", where: [c("form", "eq", "contact")], points: 10 },
  { eventType: "form_submit", where: [c("form", "eq", "trial")], points: 15 },
  { eventType: "form_submit", where: [c("form", "contains", "webinar")], points: 4 },
  { eventType: "form_submit", where: [c("employees", "gt", 1000)], points: 8 },
  // email_click: 4
  { eventType: "email_click", where: [], points: 1 },
  { eventType: "email_click", where: [c("campaign", "contains", "nurture")], points: 2 },
  { eventType: "email_click", where: [c("campaign", "eq", "onboarding")], points: 3 },
  { eventType: "email_click", where: [c("link", "contains", "/pricing")], points: 6 },
  // webinar_attended: 4
  { eventType: "webinar_attended", where: [], points: 3 },
  { eventType: "webinar_attended", where: [c("minutes", "gte", 30)], points: 5 },
  { eventType: "webinar_attended", where: [c("minutes", "gte", 50)], points: 5 },
  { eventType: "webinar_attended", where: [c("minutes", "lt", 10)], points: -2 },
  // trial_started, unsubscribe: 2
  { eventType: "trial_started", where: [c("plan", "eq", "pro")], points: 20 },
  { eventType: "unsubscribe", where: [], points: -10 },
];
if (scoringRules.length !== 48) throw new Error(`expected 48 scoring rules, have ${scoringRules.length}`);

export const RULES_FLOW_ID = "page-values";

/** The rules as one Leadflow flow: per rule a trigger.event (type + where) feeding its own score.add. */
export function rulesAsFlow(rules: readonly ScoringRule[]) {
  const nodes: { id: string; type: string; config: Record<string, unknown> }[] = [];
  const edges: { from: string; to: string }[] = [];
  rules.forEach((r, i) => {
    const where = r.where.map((w) => ({ field: `event.properties.${w.prop}`, op: w.op, value: w.value }));
    nodes.push({ id: `t${i}`, type: "trigger.event", config: { eventType: r.eventType, ...(where.length ? { where } : {}) } });
    nodes.push({ id: `p${i}`, type: "score.add", config: { points: r.points, category: "page-values" } });
    edges.push({ from: `t${i}`, to: `p${i}` });
  });
  return { id: RULES_FLOW_ID, name: "Page values (48 rules)", reentry: "always", nodes, edges };
}

const regexes = new Map<string, RegExp>();
const regex = (source: string): RegExp => {
  let re = regexes.get(source);
  if (!re) regexes.set(source, (re = new RegExp(source, "i")));
  return re;
};

/** json-rules-engine has no case-insensitive string operators; these match Leadflow's semantics. */
export const jreOperators: Record<string, (fact: unknown, value: any) => boolean> = {
  ciEqual: (f, v) => f !== undefined && f !== null && String(f).toLowerCase() === String(v).toLowerCase(),
  ciContains: (f, v) => typeof f === "string" && f.toLowerCase().includes(String(v).toLowerCase()),
  ciStartsWith: (f, v) => typeof f === "string" && f.toLowerCase().startsWith(String(v).toLowerCase()),
  ciEndsWith: (f, v) => typeof f === "string" && f.toLowerCase().endsWith(String(v).toLowerCase()),
  ciMatches: (f, v) => typeof f === "string" && regex(String(v)).test(f),
  ciIn: (f, v) => f !== undefined && f !== null && (v as string[]).some((x) => x.toLowerCase() === String(f).toLowerCase()),
};

const jreOp: Record<Op, string> = {
  eq: "ciEqual", contains: "ciContains", startsWith: "ciStartsWith", endsWith: "ciEndsWith", matches: "ciMatches", in: "ciIn",
  gt: "greaterThan", gte: "greaterThanInclusive", lt: "lessThan",
};

/**
 * The rules for json-rules-engine. Facts are flat (`type` plus each property as its own fact),
 * which is the cheapest way to feed it: no JSONPath lookups.
 */
export function rulesAsJre(rules: readonly ScoringRule[]): RuleProperties[] {
  return rules.map((r, i) => {
    const conditions: TopLevelCondition = {
      all: [
        { fact: "type", operator: "equal", value: r.eventType },
        ...r.where.map((w) => ({ fact: w.prop, operator: jreOp[w.op], value: w.value })),
      ],
    };
    return { name: `rule-${i}`, conditions, event: { type: "score", params: { points: r.points } } };
  });
}
