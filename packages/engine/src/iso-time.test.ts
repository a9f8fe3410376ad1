import { describe, expect, it } from "vitest";
import { parseTime } from "./iso-time.js";

/** mulberry32, seeded: the same instants every run (fast-check is not a dependency of this package). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("parseTime", () => {
  it("gives Date.parse's answer for every instant toISOString writes", () => {
    const rand = prng(7);
    const from = Date.UTC(1000, 0, 1);
    const to = Date.UTC(9999, 11, 31);
    for (let i = 0; i < 50_000; i++) {
      const ms = Math.floor(from + rand() * (to - from));
      const text = new Date(ms).toISOString();
      if (parseTime(text) !== ms) expect(parseTime(text), text).toBe(ms);
    }
  });

  it("gives Date.parse's answer for near-misses and other forms", () => {
    const texts = [
      "2026-02-30T10:00:00.000Z", "2026-13-01T10:00:00.000Z", "2026-11-02T24:00:00.000Z", "2026-11-02T10:60:00.000Z",
      "2026-11-02 10:00:00.000Z", "2026-11-02T10:00:00.000+", "2026-11-0xT10:00:00.000Z", "0099-01-01T00:00:00.000Z",
      "2026-11-02T10:00:00Z", "2026-11-02", "not a time", "", "2026-11-02T10:00:00.000+01:00", "2024-02-29T00:00:00.000Z",
      "2026-11-02T10:00:00.-01Z", "1969-12-31T23:59:59.999Z", "2026-00-10T10:00:00.000Z", "2026-11-00T10:00:00.000Z",
    ];
    const same = (n: number) => (Number.isNaN(n) ? "NaN" : n);
    for (const t of texts) expect(same(parseTime(t)), t).toEqual(same(Date.parse(t)));
  });
});
