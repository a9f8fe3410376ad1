import { describe, expect, it } from "vitest";
import { backoffMs } from "./outbox-claim.js";

describe("outbox backoff", () => {
  it("doubles from a minute, within ±25 %", () => {
    expect([1, 2, 3].map((n) => backoffMs(n, 0.5))).toEqual([60_000, 120_000, 240_000]);
    expect(backoffMs(1, 0)).toBe(45_000);
    expect(backoffMs(1, 1)).toBe(75_000);
  });
});
