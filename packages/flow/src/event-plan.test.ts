import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ConditionOp } from "./condition.schema.js";
import { compileWhere } from "./condition-compiler.js";
import { EventPlan, planWhere } from "./event-plan.js";
import type { EvalContext } from "./compiled.types.js";

const ctxOf = (properties: Record<string, unknown>): EvalContext => ({
  event: { type: "page_view", properties },
  lead: { email: "a@b.test", stage: "lead", status: "active", properties: {} },
  scores: { total: 0, fit: 0, engagement: 0, categories: {} },
  tier: "Cold",
});

// values at the edges of the semantics: case, position of a needle, numeric strings, missing and empty, arrays, other kinds
const actualScalar = fc.constantFrom("Pricing", "/pricing", "x/PRICING", "pricing/x", "42", " 4.5 ", "abc", "", "docs/v2/", 42, 4.5, 0, -1, true);
const actual = fc.oneof(actualScalar, actualScalar, fc.constant(null), fc.constant(undefined), fc.array(actualScalar, { maxLength: 3 }), fc.constant({ nested: 1 }));
const expected = fc.constantFrom("pricing", "/Pricing", "42", "4.5", "docs", "v[0-9]", 42, 4.5, 0, true);
const LISTS = new Set(["in", "notIn"]);
const condition = fc.constantFrom(...ConditionOp.options).chain((op) =>
  fc.record({
    field: fc.constantFrom("event.properties.a", "event.properties.b"),
    op: fc.constant(op),
    value: LISTS.has(op) ? fc.array(expected, { minLength: 1, maxLength: 3 }) : expected,
  }),
);

describe("an event type's plan", () => {
  it("answers every where exactly as its compiled closure does", () => {
    fc.assert(
      fc.property(fc.array(condition, { maxLength: 3 }), fc.record({ a: actual, b: actual }, { requiredKeys: [] }), (where, properties) => {
        const closure = compileWhere(where);
        const plan = new EventPlan();
        const test = planWhere(plan, where);
        if (test === null) return false;
        plan.load(properties);
        return test(plan) === closure(ctxOf(properties));
      }),
      { numRuns: 5000 },
    );
  });

  it("leaves a where on anything but a named event property to the ordinary test", () => {
    const plan = new EventPlan();
    expect(planWhere(plan, [{ field: "event.type", op: "eq", value: "x" }])).toBeNull();
    expect(planWhere(plan, [{ field: "event.properties.utm.source", op: "eq", value: "x" }])).toBeNull();
    expect(planWhere(plan, [{ field: "lead.country", op: "eq", value: "HU" }])).toBeNull();
  });

  it("reads each property once per event, whatever the number of conditions naming it", () => {
    const plan = new EventPlan();
    planWhere(plan, [{ field: "event.properties.url", op: "contains", value: "/a" }]);
    planWhere(plan, [{ field: "event.properties.url", op: "endsWith", value: ".pdf" }, { field: "event.properties.t", op: "gt", value: 1 }]);
    expect(plan.names).toEqual(["url", "t"]);
  });
});
