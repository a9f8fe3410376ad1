import { describe, it, expect } from "vitest";
import { computeFit } from "./fit.js";
import { tierFor, defaultScoringModel } from "./tiers.js";
import { fnv1a, pickVariant } from "./split.js";
import { waitDueAt } from "./wait.js";
import { pickRep } from "./assign.js";
import { reentryAllows } from "./reentry.js";
import { lead, rep, NOW } from "./test-fixtures.js";

describe("computeFit", () => {
  const rules = [
    { field: "jobTitle", op: "contains" as const, value: "director", points: 15 },
    { field: "country", op: "notIn" as const, value: ["DK", "SE", "NO"], points: -20 },
    { field: "lead.emailDomain", op: "in" as const, value: ["gmail.com"], points: -10 },
  ];
  it("sums the points of matching rules; bare fields are lead properties", () => {
    expect(computeFit(rules, lead({ email: "a@gmail.com", properties: { jobTitle: "Sales Director", country: "US" } }))).toBe(-15);
    expect(computeFit(rules, lead({ email: "a@acme.dk", properties: { jobTitle: "Engineer", country: "dk" } }))).toBe(0);
    expect(computeFit([], lead())).toBe(0);
  });
});

describe("tierFor", () => {
  it("picks the highest band at or below the total, else the lowest", () => {
    const { tiers } = defaultScoringModel;
    expect([-5, 0, 29, 30, 69, 70, 500].map((t) => tierFor(tiers, t))).toEqual(["Cold", "Cold", "Cold", "Warm", "Warm", "Hot", "Hot"]);
    expect(tierFor([{ name: "B", min: 10 }, { name: "A", min: 0 }], 12)).toBe("B");
    expect(tierFor([], 12)).toBe("");
  });
});

describe("split", () => {
  it("FNV-1a matches the reference values", () => {
    expect(fnv1a("")).toBe(0x811c9dc5);
    expect(fnv1a("a")).toBe(0xe40c292c);
    expect(fnv1a("foobar")).toBe(0xbf9cf968);
  });
  it("is deterministic per lead and follows the weights", () => {
    const variants = [{ name: "a", weight: 1 }, { name: "b", weight: 3 }];
    expect(pickVariant(variants, "lead-7", "f", "s")).toBe(pickVariant(variants, "lead-7", "f", "s"));
    const counts = { a: 0, b: 0 } as Record<string, number>;
    for (let i = 0; i < 4000; i++) counts[pickVariant(variants, `lead-${i}`, "f", "s")]! += 1;
    expect(counts.a! / 4000).toBeGreaterThan(0.2);
    expect(counts.a! / 4000).toBeLessThan(0.3);
    expect(pickVariant([{ name: "only", weight: 2 }, { name: "never", weight: 0.0000001 }], "x", "f", "s")).toBe("only");
  });
});

describe("waitDueAt", () => {
  it("adds a duration", () => {
    expect(waitDueAt({ days: 1, hours: 2, minutes: 30 }, NOW).toISOString()).toBe("2026-03-03T12:30:00.000Z");
  });
  it("finds the next window strictly after now", () => {
    // NOW is Monday 10:00 UTC
    expect(waitDueAt({ until: { hour: 9 } }, NOW).toISOString()).toBe("2026-03-03T09:00:00.000Z");
    expect(waitDueAt({ until: { hour: 11 } }, NOW).toISOString()).toBe("2026-03-02T11:00:00.000Z");
    expect(waitDueAt({ until: { hour: 10 } }, NOW).toISOString()).toBe("2026-03-03T10:00:00.000Z");
    expect(waitDueAt({ until: { hour: 9, weekdays: [5] } }, NOW).toISOString()).toBe("2026-03-06T09:00:00.000Z");
    expect(waitDueAt({ until: { hour: 9, weekdays: [1] } }, NOW).toISOString()).toBe("2026-03-09T09:00:00.000Z");
    expect(waitDueAt({ until: { hour: 12, weekdays: [1] } }, NOW).toISOString()).toBe("2026-03-02T12:00:00.000Z");
  });
});

describe("pickRep", () => {
  const reps = [rep("r1", { load: 3 }), rep("r2", { active: false }), rep("r3", { load: 2, capacity: 2 }), rep("r4", { load: 1, territories: ["DE", "at"] }), rep("r5", { load: 0, territories: ["AT"] })];
  it("round robin skips inactive and full reps and advances past the pick", () => {
    expect(pickRep(reps, 1, { strategy: "round_robin", property: "country" }, {})).toEqual({ index: 3, cursor: 4 });
    expect(pickRep(reps, 4, { strategy: "round_robin", property: "country" }, {})).toEqual({ index: 4, cursor: 0 });
    expect(pickRep(reps, 0, { strategy: "round_robin", property: "country", pool: ["r4"] }, {})).toEqual({ index: 3, cursor: 4 });
    expect(pickRep(reps, 0, { strategy: "round_robin", property: "country", pool: ["r2", "r3"] }, {})).toBeNull();
  });
  it("least loaded, ties by order", () => {
    expect(pickRep(reps, 2, { strategy: "least_loaded", property: "country" }, {})).toEqual({ index: 4, cursor: 2 });
    expect(pickRep([rep("a", { load: 1 }), rep("b", { load: 1 })], 0, { strategy: "least_loaded", property: "country" }, {})!.index).toBe(0);
  });
  it("territory matches the property case-insensitively, then least loaded", () => {
    expect(pickRep(reps, 0, { strategy: "territory", property: "country" }, { country: "At" })!.index).toBe(4);
    expect(pickRep(reps, 0, { strategy: "territory", property: "country" }, { country: "de" })!.index).toBe(3);
    expect(pickRep(reps, 0, { strategy: "territory", property: "country" }, { country: "FR" })).toBeNull();
    expect(pickRep(reps, 0, { strategy: "territory", property: "country" }, {})).toBeNull();
  });
});

describe("reentryAllows", () => {
  const entry = { count: 1, lastAt: "2026-02-27T10:00:00.000Z" }; // 3 days before NOW
  it("always, once, cooldown", () => {
    expect(reentryAllows("always", entry, NOW)).toBe(true);
    expect(reentryAllows("once", undefined, NOW)).toBe(true);
    expect(reentryAllows("once", entry, NOW)).toBe(false);
    expect(reentryAllows({ cooldownDays: 3 }, entry, NOW)).toBe(true);
    expect(reentryAllows({ cooldownDays: 4 }, entry, NOW)).toBe(false);
  });
});
