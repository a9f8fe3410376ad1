import { describe, expect, it } from "vitest";
import { parseCommand } from "./cli-run.js";
import { CommandRequest } from "./commands.js";

/** Issue 8, finding 5: a date outside 1970–2100 reached the database and failed there. */
describe("CLI arguments", () => {
  it("tick --now takes a date-time between 1970 and 2100", () => {
    expect(parseCommand(["tick", "--now", "2026-11-09T09:00:00+01:00"])).toEqual({ command: "tick", now: "2026-11-09T08:00:00.000Z" });
    expect(parseCommand(["tick"])).toEqual({ command: "tick" });
    expect(() => parseCommand(["tick", "--now", "0000-01-01T00:00:00Z"])).toThrow(/between 1970-01-01 and 2100-12-31/);
    expect(() => parseCommand(["tick", "--now", "2101-01-01T00:00:00Z"])).toThrow(/between 1970/);
  });

  it("the control endpoint's schema refuses such a date too", () => {
    expect(CommandRequest.safeParse({ command: "tick", now: "0000-01-01T00:00:00Z" }).success).toBe(false);
    expect(CommandRequest.safeParse({ command: "tick", now: "2030-01-01T00:00:00Z" }).success).toBe(true);
  });
});
