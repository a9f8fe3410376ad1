import { describe, expect, it } from "vitest";
import { latestOccurrence } from "./segments.js";
import { weekOf } from "./snapshots.js";

describe("weekOf (a snapshot's week: its Monday, UTC)", () => {
  it("gives the Monday of the week for every day of it, Sunday included", () => {
    expect(weekOf(new Date("2026-03-09T00:00:00Z"))).toBe("2026-03-09"); // Monday
    expect(weekOf(new Date("2026-03-12T13:00:00Z"))).toBe("2026-03-09");
    expect(weekOf(new Date("2026-03-15T23:59:59Z"))).toBe("2026-03-09"); // Sunday
    expect(weekOf(new Date("2026-03-16T00:00:00Z"))).toBe("2026-03-16");
  });

  it("crosses month and year ends", () => {
    expect(weekOf(new Date("2026-01-01T10:00:00Z"))).toBe("2025-12-29");
  });
});

describe("latestOccurrence (the segment pass a tick is for)", () => {
  it("is the latest cron instant at or before now, in the workspace's time zone", () => {
    const now = new Date("2026-03-10T09:30:00Z");
    expect(latestOccurrence("0 9 * * *", "UTC", now)?.toISOString()).toBe("2026-03-10T09:00:00.000Z");
    // 09:00 in Budapest (UTC+1 in March) is 08:00 UTC
    expect(latestOccurrence("0 9 * * *", "Europe/Budapest", now)?.toISOString()).toBe("2026-03-10T08:00:00.000Z");
    expect(latestOccurrence("0 10 * * *", "UTC", now)?.toISOString()).toBe("2026-03-09T10:00:00.000Z");
  });

  it("counts a tick on the very second of the occurrence", () => {
    const at = new Date("2026-03-10T09:00:00Z");
    expect(latestOccurrence("0 9 * * *", "UTC", at)?.toISOString()).toBe(at.toISOString());
  });
});
