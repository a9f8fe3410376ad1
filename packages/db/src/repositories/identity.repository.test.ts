import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { findAnonymousEvents, findIdentities, findLeadEvents, insertIdentities, lockVisitorKeys } from "./identity.repository.js";

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";
const lead = (id: string) => ({ id, email: `${id}@example.com`, email_lower: `${id}@example.com`, tier: "Cold", properties: "{}", categories: "{}", flow_state: "{}" });
const event = (n: number, who: { lead?: string; visitor?: string }, at: string) => {
  const id = `10000000-0000-4000-8000-00000000000${n}`;
  return { id, idempotency_key: id, lead_id: who.lead ?? null, anonymous_id: who.visitor ?? null, type: "page_view", properties: "{}", occurred_at: at };
};

describe.each(testDatabaseKinds)("identity repository on %s", (kind) => {
  it("maps each visitor id once, finds its anonymous events, and gives a lead its own and its visitors' events newest first", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await db.insertInto("leads").values([lead(A), lead(B)]).execute();
      await db.insertInto("events").values([
        event(1, { visitor: "v1" }, "2026-03-01T00:00:00Z"),
        event(2, { visitor: "v1" }, "2026-03-03T00:00:00Z"),
        event(3, { lead: A }, "2026-03-02T00:00:00Z"),
        event(4, { visitor: "v2" }, "2026-03-04T00:00:00Z"),
        event(5, { lead: B, visitor: "v1" }, "2026-03-05T00:00:00Z"), // stored with a lead: not anonymous
      ]).execute();
      const at = new Date("2026-03-06T00:00:00Z");
      await db.transaction().execute((trx) => lockVisitorKeys(trx, ["v2", "v1", "v1"])); // takes the locks; returns nothing

      expect(await insertIdentities(db, A, ["v1"], at)).toEqual(["v1"]);
      expect(await insertIdentities(db, B, ["v1", "v2"], at)).toEqual(["v2"]); // v1 keeps its lead
      expect(await insertIdentities(db, B, [], at)).toEqual([]);
      expect(await findIdentities(db, ["v1", "v2", "v3"])).toEqual(new Map([["v1", A], ["v2", B]]));

      expect((await findAnonymousEvents(db, ["v1"])).map((e) => e.id.at(-1))).toEqual(["1", "2"]);
      expect(await findAnonymousEvents(db, [])).toEqual([]);
      expect((await findLeadEvents(db, A, 10)).map((e) => e.id.at(-1))).toEqual(["2", "3", "1"]);
      expect((await findLeadEvents(db, A, 2)).map((e) => e.id.at(-1))).toEqual(["2", "3"]);
    } finally {
      await close();
    }
  });
});
