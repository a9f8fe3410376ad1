import { describe, expect, it } from "vitest";
import { compileCondition } from "./condition-compiler.js";
import { Condition } from "./condition.schema.js";
import type { EvalContext } from "./compiled.types.js";

const base: EvalContext = {
  lead: { email: "a@example.com", stage: "lead", status: "active", properties: {} },
  scores: { total: 20, fit: 0, engagement: 20, categories: {} },
  tier: "Cold",
};

describe("time fields", () => {
  it("score.trend.weeksDown reads the trend, 0 when unknown", () => {
    const falling = Condition.parse({ field: "score.trend.weeksDown", op: "gte", value: 3 });
    expect(compileCondition(falling)({ ...base, trend: { weeksDown: 3 } })).toBe(true);
    expect(compileCondition(falling)({ ...base, trend: { weeksDown: 2 } })).toBe(false);
    expect(compileCondition({ field: "score.trend.weeksDown", op: "eq", value: 0 })(base)).toBe(true);
    expect(Condition.safeParse({ field: "score.trend.up", op: "gte", value: 1 }).success).toBe(false);
  });

  it("lead.daysSinceActivity is missing for a lead that never had an event", () => {
    const quiet = { field: "lead.daysSinceActivity", op: "gte", value: 7 } as const;
    expect(compileCondition(quiet)({ ...base, lead: { ...base.lead, daysSinceActivity: 8.5 } })).toBe(true);
    expect(compileCondition(quiet)({ ...base, lead: { ...base.lead, daysSinceActivity: 1 } })).toBe(false);
    expect(compileCondition(quiet)(base)).toBe(false);
    expect(compileCondition({ field: "lead.daysSinceActivity", op: "notExists" })(base)).toBe(true);
  });
});
