import { describe, expect, it } from "vitest";
import { Condition } from "./condition.schema.js";
import { compileCondition } from "./condition-compiler.js";
import type { BehaviourEvent } from "./behaviour.js";
import type { EvalContext } from "./compiled.types.js";

const NOW = Date.parse("2026-03-01T12:00:00Z");

/**
 * A visitor controls the events a behaviour count walks (up to 2,000 a type, 32 KiB of
 * properties each), and a count is read again for every event of a batch. The `where` of each
 * counted event is tested once per loaded event, not once per read, so a batch costs a pass
 * over the history, not a pass per event of the batch.
 */
describe("behaviour count cost", () => {
  it("tests a counted event's where once however often the count is read in a session", () => {
    const rule = compileCondition(
      Condition.parse({
        field: "behaviour.count.page_view.30d",
        op: "gte",
        value: 1,
        where: [{ field: "event.properties.url", op: "matches", value: "[^x]{0,240}$" }],
      }),
    );
    const url = "https://example.com/" + "a".repeat(32 * 1024 - 40);
    const events: BehaviourEvent[] = Array.from({ length: 300 }, (_, i) => ({ id: `e${i}`, type: "page_view", properties: { url }, at: NOW - i * 60_000 }));
    const ctx = (): EvalContext => ({
      lead: { email: "a@b.test", stage: "lead", status: "active", properties: {} },
      scores: { total: 0, fit: 0, engagement: 0, categories: {} },
      tier: "",
      event: { type: "page_view", properties: { url } },
      behaviour: { asOf: NOW, events },
    });
    const started = Date.now();
    // one engine session: the count read once per event of a 28-event batch (a 500 KB /v1 batch)
    for (let i = 0; i < 28; i++) expect(rule(ctx())).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  }, 120_000);

  it("counts the same with the where remembered: per event, whatever the window or the instant read", () => {
    const rule = (days: number, value: number) =>
      compileCondition(Condition.parse({ field: `behaviour.count.page_view.${days}d`, op: "eq", value, where: [{ field: "event.properties.url", op: "glob", value: "/pricing/**" }] }));
    const day = 86_400_000;
    const events: BehaviourEvent[] = Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, type: "page_view", properties: { url: i % 2 ? "/blog" : "/pricing" }, at: NOW - i * day }));
    const ctx = (asOf: number, list = events): EvalContext => ({
      lead: { email: "a@b.test", stage: "lead", status: "active", properties: {} },
      scores: { total: 0, fit: 0, engagement: 0, categories: {} },
      tier: "",
      event: { type: "page_view", properties: { url: "/pricing" } },
      behaviour: { asOf, events: list },
    });
    const five = rule(30, 5);
    expect(five(ctx(NOW))).toBe(true);
    expect(five(ctx(NOW))).toBe(true);
    const two = rule(3, 2); // days 0 and 2
    expect(two(ctx(NOW))).toBe(true);
    expect(two(ctx(NOW - 2 * day))).toBe(true); // days 2 and 4
    expect(two(ctx(NOW - 5 * day))).toBe(false); // days 6 only (5 is /blog; 8 out of the window)
    // a new event object with other properties is tested on its own
    expect(two(ctx(NOW, [...events, { id: "p0", type: "page_view", properties: { url: "/blog" }, at: NOW }]))).toBe(true);
    expect(two(ctx(NOW, [...events, { id: "new", type: "page_view", properties: { url: "/pricing/x" }, at: NOW }]))).toBe(false);
  });
});
