import { describe, expect, it } from "vitest";
import { receivedLater } from "./received-later.js";

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
