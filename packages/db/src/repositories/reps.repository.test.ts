import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { countLeadsByOwner, deactivateReps, findReps, findRepsWithLeadCounts, upsertRep, type RepRow } from "./reps.repository.js";

const rep = (id: string, more: Partial<RepRow> = {}): RepRow => ({
  id, name: id.toUpperCase(), email: `${id}@sales.test`, territories: [], active: true, capacity: null, ...more,
});
const lead = (n: number, ownerId: string | null) => {
  const id = `00000000-0000-4000-8000-00000000000${n}`;
  return { id, email: `${n}@example.com`, email_lower: `${n}@example.com`, tier: "Cold", properties: "{}", categories: "{}", flow_state: "{}", owner_id: ownerId };
};

describe.each(testDatabaseKinds)("reps repository on %s", (kind) => {
  it("keeps reps in their round-robin order, overwrites by id, deactivates all, and counts leads per owner", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await upsertRep(db, rep("b", { territories: ["DK"], capacity: 5 }), 0);
      await upsertRep(db, rep("a"), 1);
      expect((await findReps(db)).map((r) => r.id)).toEqual(["b", "a"]);
      expect((await findReps(db))[0]).toEqual(rep("b", { territories: ["DK"], capacity: 5 }));

      await deactivateReps(db);
      await upsertRep(db, rep("a", { name: "Ann" }), 0);
      expect(await findReps(db)).toEqual([rep("a", { name: "Ann" }), rep("b", { territories: ["DK"], capacity: 5, active: false })]);

      await db.insertInto("leads").values([lead(1, "a"), lead(2, "a"), lead(3, "b"), lead(4, null)]).execute();
      expect(await countLeadsByOwner(db, ["a", "b", "c"])).toEqual(new Map([["a", 2], ["b", 1]]));
      expect(await countLeadsByOwner(db, [])).toEqual(new Map());
      expect((await findRepsWithLeadCounts(db)).map((r) => [r.id, r.leads])).toEqual([["a", 2], ["b", 1]]);
    } finally {
      await close();
    }
  });
});
