import { describe, expect, it } from "vitest";
import { byTierOrder, formatValue, receivedLater, signed, stageLabel } from "./format.js";

describe("receivedLater", () => {
  it("says how much later an entry was processed than its event happened", () => {
    expect(receivedLater("2026-01-01T00:00:00Z", "2026-01-04T05:00:00Z")).toBe("received 3 days later");
    expect(receivedLater("2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z")).toBe("received 1 day later");
    expect(receivedLater("2026-01-01T00:00:00Z", "2026-01-01T02:30:00Z")).toBe("received 2 hours later");
    expect(receivedLater("2026-01-01T00:00:00Z", "2026-01-01T00:05:00Z")).toBe("received 5 minutes later");
  });

  it("says nothing when both times are within a minute, or the times are unusable", () => {
    expect(receivedLater("2026-01-01T00:00:00Z", "2026-01-01T00:00:30Z")).toBeUndefined();
    expect(receivedLater("2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")).toBeUndefined();
    expect(receivedLater("not a date", "2026-01-01T00:00:00Z")).toBeUndefined();
  });
});

describe("signed, byTierOrder, stageLabel, formatValue", () => {
  it("writes points with their sign", () => {
    expect([signed(10), signed(-5), signed(0)]).toEqual(["+10", "−5", "0"]);
  });

  it("orders Hot, Warm, Cold first, then other tiers alphabetically", () => {
    expect(["Zeta", "cold", "Alpha", "Hot", "Warm"].sort(byTierOrder)).toEqual(["Hot", "Warm", "cold", "Alpha", "Zeta"]);
  });

  it("names stages as the pages show them", () => {
    expect([stageLabel("mql"), stageLabel("sql"), stageLabel("customer")]).toEqual(["MQL", "SQL", "Customer"]);
  });

  it("writes values as text: lists comma-separated, objects as JSON, nothing for null", () => {
    expect([formatValue(["DK", "SE"]), formatValue({ a: 1 }), formatValue(null), formatValue(3)]).toEqual(["DK, SE", '{"a":1}', "", "3"]);
  });
});
