import { describe, expect, it } from "vitest";
import { Condition } from "./condition.schema.js";
import { compileCondition } from "./condition-compiler.js";
import { compile, compileFlowSet } from "./compile.js";
import { parseBehaviourField } from "./behaviour.js";
import type { BehaviourEvent } from "./behaviour.js";
import type { EvalContext } from "./compiled.types.js";

const DAY = 86_400_000;
const NOW = Date.parse("2026-03-01T12:00:00Z");
const ev = (type: string, daysAgo: number, url = "/"): BehaviourEvent => ({ id: `${type}-${daysAgo}-${url}`, type, properties: { url }, at: NOW - daysAgo * DAY });
const ctx = (events: BehaviourEvent[] | undefined): EvalContext => ({
  lead: { email: "a@b.test", stage: "lead", status: "active", properties: {} },
  scores: { total: 0, fit: 0, engagement: 0, categories: {} },
  tier: "",
  event: { type: "page_view", properties: { url: "/current" } },
  ...(events ? { behaviour: { asOf: NOW, events } } : {}),
});

const threePricingVisitsInAWeek = {
  field: "behaviour.count.page_view.7d",
  where: [{ field: "event.properties.url", op: "glob", value: "/pricing/**" }],
  op: "gte",
  value: 3,
} as const;

describe("behaviour fields", () => {
  it("parses counts and days-since, refusing other shapes", () => {
    expect(parseBehaviourField("behaviour.count.page_view.7d")).toEqual({ kind: "count", type: "page_view", days: 7 });
    expect(parseBehaviourField("behaviour.daysSince.demo_request")).toEqual({ kind: "daysSince", type: "demo_request" });
    for (const field of ["behaviour.count.page_view", "behaviour.count.page_view.7", "behaviour.count.page_view.-7d", "behaviour.daysSince.", "behaviour.other.x"]) {
      expect(Condition.safeParse({ field, op: "gte", value: 1 }).success, field).toBe(false);
    }
    expect(Condition.safeParse({ field: "behaviour.count.page_view.731d", op: "gte", value: 1 }).success).toBe(false);
    expect(Condition.safeParse({ field: "behaviour.count.page_view.0d", op: "gte", value: 1 }).success).toBe(false);
    expect(Condition.safeParse(threePricingVisitsInAWeek).success).toBe(true);
  });

  it("takes a where only on a count, and only over event fields", () => {
    const where = [{ field: "event.properties.url", op: "contains", value: "/pricing" }];
    expect(Condition.safeParse({ field: "lead.country", op: "eq", value: "DK", where }).error?.issues[0]?.message).toBe("only a behaviour.count field takes a where");
    const nested = { field: "behaviour.count.page_view.7d", op: "gte", value: 1, where: [{ field: "behaviour.count.page_view.7d", op: "gte", value: 1 }] };
    expect(Condition.safeParse(nested).success).toBe(false);
    const leadField = { field: "behaviour.count.page_view.7d", op: "gte", value: 1, where: [{ field: "lead.email", op: "exists" }] };
    expect(Condition.safeParse(leadField).success).toBe(false);
    const badPattern = { field: "behaviour.count.page_view.7d", op: "gte", value: 1, where: [{ field: "event.properties.url", op: "matches", value: "(?=x)" }] };
    expect(Condition.safeParse(badPattern).error?.issues[0]?.message).toMatch(/Lookahead/);
  });

  it("counts the lead's events of the type in the window matching the where", () => {
    const rule = compileCondition(Condition.parse(threePricingVisitsInAWeek));
    const visits = [ev("page_view", 0, "https://example.com/pricing?utm_source=x"), ev("page_view", 3, "/PRICING/"), ev("page_view", 6.9, "/pricing/team")];
    expect(rule(ctx(visits))).toBe(true);
    expect(rule(ctx(visits.slice(0, 2)))).toBe(false);
    // spread over three weeks: only one falls in the last 7 days
    expect(rule(ctx([ev("page_view", 0, "/pricing"), ev("page_view", 8, "/pricing"), ev("page_view", 15, "/pricing")]))).toBe(false);
    // other pages and other types do not count; events after the instant read do not either
    expect(rule(ctx([...visits.slice(0, 2), ev("page_view", 1, "/blog"), ev("form_submit", 1, "/pricing"), ev("page_view", -1, "/pricing")]))).toBe(false);
    expect(rule(ctx(undefined))).toBe(false);
  });

  it("reads days since the last event of a type, missing when there was none", () => {
    const quiet = compileCondition({ field: "behaviour.daysSince.demo_request", op: "gte", value: 30 });
    const never = compileCondition({ field: "behaviour.daysSince.demo_request", op: "notExists" });
    expect(quiet(ctx([ev("demo_request", 45), ev("demo_request", 31)]))).toBe(true);
    expect(quiet(ctx([ev("demo_request", 45), ev("demo_request", 2)]))).toBe(false);
    expect(quiet(ctx([ev("page_view", 60)]))).toBe(false);
    expect(never(ctx([ev("page_view", 60)]))).toBe(true);
    expect(never(ctx([ev("demo_request", 60)]))).toBe(false);
  });

  it("a count of zero is a value: lte holds for a lead with no visits", () => {
    expect(compileCondition({ field: "behaviour.count.page_view.30d", op: "lte", value: 0 })(ctx([]))).toBe(true);
  });

  it("the compiled flow set names the types and windows its rules read, and nothing when none does", () => {
    const doc = {
      id: "f", name: "f", reentry: "always" as const,
      nodes: [
        { id: "t", type: "trigger.event" as const, config: { eventType: "page_view", where: [threePricingVisitsInAWeek] } },
        { id: "c", type: "condition" as const, config: { match: "all" as const, where: [
          { field: "behaviour.count.page_view.30d", op: "gte" as const, value: 10 },
          { field: "behaviour.daysSince.demo_request", op: "gte" as const, value: 30 },
        ] } },
        { id: "p", type: "score.add" as const, config: { points: 30 } },
      ],
      edges: [{ from: "t", to: "c" }, { from: "c", to: "p", port: "yes" }],
    };
    const set = compileFlowSet([compile(doc as never, 1)]);
    expect([...set.behaviour.counts]).toEqual([["page_view", 30]]);
    expect([...set.behaviour.latest]).toEqual(["demo_request"]);
    const plain = compileFlowSet([compile({ ...doc, nodes: [doc.nodes[0]!, doc.nodes[2]!].map((n) => (n.id === "t" ? { ...n, config: { eventType: "page_view", where: [] } } : n)), edges: [{ from: "t", to: "p" }] } as never, 1)]);
    expect(plain.behaviour.counts.size + plain.behaviour.latest.size).toBe(0);
  });
});
