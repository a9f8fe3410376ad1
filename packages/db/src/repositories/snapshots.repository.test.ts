import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { insertSnapshots, listLeadSnapshots, lockLeadScoresAfter, setWeeksDown, snapshotTotals } from "./snapshots.repository.js";

const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const lead = (n: number, total: number) => ({
  id: id(n), email: `${n}@example.com`, email_lower: `${n}@example.com`, tier: "Cold", properties: "{}", categories: "{}", flow_state: "{}",
  fit: total / 2, engagement: total / 2, total,
});
const NOW = new Date("2026-03-10T00:00:00Z");

describe.each(testDatabaseKinds)("snapshots repository on %s", (kind) => {
  it("reads scores in id order, keeps the first snapshot of a week, reads totals and sets weeks_down", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await db.insertInto("leads").values([lead(1, 10), lead(2, 20), lead(3, 30)]).execute();
      const scores = await db.transaction().execute((trx) => lockLeadScoresAfter(trx, id(1), 5));
      expect(scores).toEqual([
        { id: id(2), fit: 10, engagement: 10, total: 20, weeks_down: 0 },
        { id: id(3), fit: 15, engagement: 15, total: 30, weeks_down: 0 },
      ]);
      await insertSnapshots(db, "2026-03-09", scores, NOW);
      await insertSnapshots(db, "2026-03-09", [{ ...scores[0]!, total: 99 }], NOW);
      await insertSnapshots(db, "2026-03-02", [{ ...scores[0]!, total: 25 }], NOW);
      await insertSnapshots(db, "2026-03-02", [], NOW);
      expect(await snapshotTotals(db, [id(1), id(2), id(3)], "2026-03-09")).toEqual(new Map([[id(2), 20], [id(3), 30]]));
      expect(await snapshotTotals(db, [], "2026-03-09")).toEqual(new Map());
      expect(await listLeadSnapshots(db, id(2), 53)).toEqual([
        { week: "2026-03-02", total: 25, fit: 10, engagement: 10 },
        { week: "2026-03-09", total: 20, fit: 10, engagement: 10 },
      ]);
      expect((await listLeadSnapshots(db, id(2), 1)).map((s) => s.week)).toEqual(["2026-03-09"]);

      await setWeeksDown(db, [{ id: id(1), weeksDown: 2 }, { id: id(2), weeksDown: 1 }, { id: id(3), weeksDown: 2 }]);
      const rows = await db.selectFrom("leads").select(["id", "weeks_down"]).orderBy("id").execute();
      expect(rows.map((r) => r.weeks_down)).toEqual([2, 1, 2]);
    } finally {
      await close();
    }
  });
});
