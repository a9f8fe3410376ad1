import { describe, it, expect } from "vitest";
import { compileCondition, compileWhere } from "./condition-compiler.js";
import type { Condition } from "./condition.schema.js";
import type { EvalContext } from "./compiled.types.js";

const ctx: EvalContext = {
  event: { type: "page_view", properties: { url: "https://x.com/Pricing?plan=pro", count: "42", utm: { source: "Google" }, "a.b": "flat" } },
  lead: {
    email: "Anna@Example.com",
    stage: "lead",
    status: "active",
    properties: { country: "HU", employees: 250, jobTitle: "Marketing Director", tags: ["vip", "Beta"], empty: "", nothing: null },
  },
  scores: { total: 55, fit: 15, engagement: 40, categories: { pricing: 20 } },
  tier: "Warm",
};

const test = (c: Condition, on: EvalContext = ctx) => compileCondition(c)(on);

describe("compileCondition: fields", () => {
  it("reads every kind of field", () => {
    expect(test({ field: "event.type", op: "eq", value: "PAGE_VIEW" })).toBe(true);
    expect(test({ field: "event.properties.url", op: "contains", value: "/pricing" })).toBe(true);
    expect(test({ field: "event.properties.utm.source", op: "eq", value: "google" })).toBe(true);
    expect(test({ field: "event.properties.a.b", op: "eq", value: "flat" })).toBe(true);
    expect(test({ field: "lead.email", op: "endsWith", value: "@example.com" })).toBe(true);
    expect(test({ field: "lead.stage", op: "eq", value: "lead" })).toBe(true);
    expect(test({ field: "lead.status", op: "eq", value: "active" })).toBe(true);
    expect(test({ field: "lead.country", op: "eq", value: "hu" })).toBe(true);
    expect(test({ field: "lead.emailDomain", op: "eq", value: "example.com" })).toBe(true);
    expect(test({ field: "score.total", op: "eq", value: 55 })).toBe(true);
    expect(test({ field: "score.fit", op: "eq", value: 15 })).toBe(true);
    expect(test({ field: "score.engagement", op: "eq", value: 40 })).toBe(true);
    expect(test({ field: "score.category.pricing", op: "eq", value: 20 })).toBe(true);
    expect(test({ field: "score.category.webinar", op: "eq", value: 0 })).toBe(true);
    expect(test({ field: "tier", op: "eq", value: "warm" })).toBe(true);
  });

  it("treats a bare field as a lead property (fit rules)", () => {
    expect(test({ field: "country", op: "eq", value: "HU" } as Condition)).toBe(true);
  });

  it("without an event, event fields are missing", () => {
    const { event: _e, ...noEvent } = ctx;
    expect(test({ field: "event.type", op: "exists" }, noEvent)).toBe(false);
    expect(test({ field: "event.type", op: "notExists" }, noEvent)).toBe(true);
  });
});

describe("compileCondition: operators", () => {
  const title = "lead.jobTitle";
  it.each<[Condition, boolean]>([
    [{ field: title, op: "eq", value: "marketing director" }, true],
    [{ field: title, op: "eq", value: "director" }, false],
    [{ field: title, op: "neq", value: "MARKETING DIRECTOR" }, false],
    [{ field: title, op: "neq", value: "CEO" }, true],
    [{ field: title, op: "contains", value: "DIRECT" }, true],
    [{ field: title, op: "contains", value: "vp" }, false],
    [{ field: title, op: "notContains", value: "vp" }, true],
    [{ field: title, op: "notContains", value: "director" }, false],
    [{ field: title, op: "startsWith", value: "MARKETING" }, true],
    [{ field: title, op: "startsWith", value: "director" }, false],
    [{ field: title, op: "endsWith", value: "DIRECTOR" }, true],
    [{ field: title, op: "endsWith", value: "marketing" }, false],
    [{ field: title, op: "matches", value: "^market.*tor$" }, true],
    [{ field: title, op: "matches", value: "^ceo" }, false],
    [{ field: "lead.country", op: "in", value: ["de", "hu"] }, true],
    [{ field: "lead.country", op: "in", value: ["de", "at"] }, false],
    [{ field: "lead.country", op: "notIn", value: ["HU", "AT", "DE"] }, false],
    [{ field: "lead.country", op: "notIn", value: ["DK", "SE"] }, true],
    [{ field: "lead.employees", op: "gt", value: 249 }, true],
    [{ field: "lead.employees", op: "gt", value: 250 }, false],
    [{ field: "lead.employees", op: "gte", value: 250 }, true],
    [{ field: "lead.employees", op: "gte", value: 251 }, false],
    [{ field: "lead.employees", op: "lt", value: 251 }, true],
    [{ field: "lead.employees", op: "lt", value: 250 }, false],
    [{ field: "lead.employees", op: "lte", value: 250 }, true],
    [{ field: "lead.employees", op: "lte", value: 249 }, false],
    [{ field: "lead.country", op: "exists" }, true],
    [{ field: "lead.unknown", op: "exists" }, false],
    [{ field: "lead.unknown", op: "notExists" }, true],
    [{ field: "lead.country", op: "notExists" }, false],
  ])("%o -> %s", (c, expected) => {
    expect(test(c)).toBe(expected);
  });

  it("compares numeric strings and numbers numerically", () => {
    expect(test({ field: "event.properties.count", op: "eq", value: 42 })).toBe(true);
    expect(test({ field: "event.properties.count", op: "gt", value: 9 })).toBe(true); // "42" > 9, not "42" < "9"
    expect(test({ field: "event.properties.count", op: "in", value: [1, 42] })).toBe(true);
    expect(test({ field: "lead.employees", op: "eq", value: "250" })).toBe(true);
    expect(test({ field: "lead.employees", op: "in", value: ["250"] })).toBe(true);
    expect(test({ field: "lead.jobTitle", op: "gt", value: 1 })).toBe(false);
  });

  it("makes every operator false on a missing value except notExists", () => {
    const ops: Condition[] = [
      { field: "lead.x", op: "eq", value: "a" }, { field: "lead.x", op: "neq", value: "a" },
      { field: "lead.x", op: "contains", value: "a" }, { field: "lead.x", op: "notContains", value: "a" },
      { field: "lead.x", op: "startsWith", value: "a" }, { field: "lead.x", op: "endsWith", value: "a" },
      { field: "lead.x", op: "matches", value: ".*" }, { field: "lead.x", op: "in", value: ["a"] },
      { field: "lead.x", op: "notIn", value: ["a"] }, { field: "lead.x", op: "gt", value: 0 },
      { field: "lead.x", op: "gte", value: 0 }, { field: "lead.x", op: "lt", value: 0 },
      { field: "lead.x", op: "lte", value: 0 }, { field: "lead.x", op: "exists" },
    ];
    for (const field of ["lead.unknown", "lead.empty", "lead.nothing"]) {
      for (const c of ops) expect(test({ ...c, field }), `${c.op} on ${field}`).toBe(false);
      expect(test({ field, op: "notExists" })).toBe(true);
    }
  });

  it("matches array-valued properties by element", () => {
    expect(test({ field: "lead.tags", op: "contains", value: "beta" })).toBe(true);
    expect(test({ field: "lead.tags", op: "in", value: ["VIP"] })).toBe(true);
    expect(test({ field: "lead.tags", op: "notContains", value: "vip" })).toBe(false);
  });
});

describe("compileWhere", () => {
  const yes: Condition = { field: "tier", op: "eq", value: "Warm" };
  const no: Condition = { field: "tier", op: "eq", value: "Hot" };
  it("empty is always true", () => {
    expect(compileWhere([], "all")(ctx)).toBe(true);
    expect(compileWhere([], "any")(ctx)).toBe(true);
  });
  it("all and any", () => {
    expect(compileWhere([yes, no], "all")(ctx)).toBe(false);
    expect(compileWhere([yes, yes], "all")(ctx)).toBe(true);
    expect(compileWhere([no, yes], "any")(ctx)).toBe(true);
    expect(compileWhere([no, no], "any")(ctx)).toBe(false);
  });
});
