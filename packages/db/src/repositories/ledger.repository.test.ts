import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { latestLedgerRows } from "./ledger.repository.js";

const LEAD = "00000000-0000-4000-8000-00000000000a";
const OTHER = "00000000-0000-4000-8000-00000000000b";
const lead = (id: string, email: string) => ({
  id, email, email_lower: email, tier: "Cold", properties: "{}", categories: "{}", flow_state: "{}",
});
const entry = (leadId: string, delta: number, at: string) => ({
  lead_id: leadId, delta, reason: "flow", at, processed_at: at,
});

describe.each(testDatabaseKinds)("ledger repository on %s", (kind) => {
  it("latestLedgerRows: the newest rows of that lead only, newest first, ties by insertion", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await db.insertInto("leads").values([lead(LEAD, "a@example.com"), lead(OTHER, "b@example.com")]).execute();
      await db.insertInto("score_ledger").values([
        entry(LEAD, 1, "2026-01-01T00:00:00.000Z"),
        entry(LEAD, 2, "2026-01-03T00:00:00.000Z"),
        entry(LEAD, 3, "2026-01-02T00:00:00.000Z"),
        entry(LEAD, 4, "2026-01-03T00:00:00.000Z"),
        entry(OTHER, 9, "2026-02-01T00:00:00.000Z"),
      ]).execute();
      const rows = await latestLedgerRows(db, LEAD, 3);
      expect(rows.map((r) => r.delta)).toEqual([4, 2, 3]);
      expect(Object.keys(rows[0]!).sort()).toEqual(["at", "category", "delta", "event_id", "flow_id", "node_id", "processed_at", "reason"]);
      expect(await latestLedgerRows(db, OTHER, 10)).toHaveLength(1);
    } finally {
      await close();
    }
  });
});
