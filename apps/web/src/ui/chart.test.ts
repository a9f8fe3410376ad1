import { describe, expect, it } from "vitest";
import { niceStep, yScale } from "./chart.js";

describe("the line chart's scale", () => {
  it("takes round steps (1, 2, 5 × 10^n)", () => {
    expect([niceStep(100, 4), niceStep(7, 4), niceStep(0.3, 4), niceStep(40, 4)]).toEqual([50, 2, 0.1, 10]);
  });

  it("keeps 0 in the range, rounds it out to whole steps and ticks every step", () => {
    expect(yScale([12, 37, 40])).toEqual({ lo: 0, hi: 40, ticks: [0, 10, 20, 30, 40] });
    expect(yScale([-15, 20])).toEqual({ lo: -20, hi: 20, ticks: [-20, -10, 0, 10, 20] });
  });

  it("spans at least one point when every value is the same", () => {
    expect(yScale([0, 0])).toMatchObject({ lo: 0, hi: 1 });
  });
});
