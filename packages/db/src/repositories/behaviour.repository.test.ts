import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { findBehaviourEvents } from "./behaviour.repository.js";

const A = "00000000-0000-4000-8000-00000000000a";
const lead = (id: string) => ({ id, email: `${id}@example.com`, email_lower: `${id}@example.com`, tier: "Cold", properties: "{}", categories: "{}", flow_state: "{}" });
const event = (n: number, type: string, at: string, who: { lead?: string; visitor?: string } = { lead: A }) => {
  const id = `10000000-0000-4000-8000-0000000000${String(n).padStart(2, "0")}`;
  return { id, idempotency_key: id, lead_id: who.lead ?? null, anonymous_id: who.visitor ?? null, type, properties: JSON.stringify({ n }), occurred_at: at };
};
const idsOf = (rows: { id: string }[]) => rows.map((r) => Number(r.id.slice(-2))).sort((a, b) => a - b);

describe.each(testDatabaseKinds)("behaviour repository on %s", (kind) => {
  it("loads per type the events in its window (the lead's and its visitors' anonymous ones, at most the limit) and the latest of each latest type, each once", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await db.insertInto("leads").values(lead(A)).execute();
      await db.insertInto("identities").values({ anonymous_id: "v1", lead_id: A, created_at: "2026-03-01T00:00:00Z" }).execute();
      await db.insertInto("events").values([
        event(1, "page_view", "2026-02-01T00:00:00Z"), // before the window
        event(2, "page_view", "2026-03-02T00:00:00Z"),
        event(3, "page_view", "2026-03-03T00:00:00Z", { visitor: "v1" }),
        event(4, "page_view", "2026-03-04T00:00:00Z"),
        event(5, "demo", "2026-01-01T00:00:00Z"),
        event(6, "demo", "2026-01-02T00:00:00Z"),
        event(7, "signup", "2026-03-05T00:00:00Z", { visitor: "v9" }), // a visitor nobody identified
      ]).execute();
      const windows = new Map([["page_view", new Date("2026-03-01T00:00:00Z")]]);
      const rows = await findBehaviourEvents(db, { leadIds: [A, A], windows, latest: new Set(["demo", "page_view"]), perTypeLimit: 10 });
      expect(idsOf(rows)).toEqual([2, 3, 4, 6]); // 4 is both in the window and the latest page_view: once
      expect(rows.find((r) => r.id.endsWith("06"))).toEqual({
        leadId: A, id: event(6, "", "").id, type: "demo", properties: { n: 6 }, at: Date.parse("2026-01-02T00:00:00Z"),
      });

      // at most the limit from the lead's own events, and from each visitor id's
      const limited = await findBehaviourEvents(db, { leadIds: [A], windows, latest: new Set(), perTypeLimit: 1 });
      expect(idsOf(limited)).toEqual([3, 4]);
      expect(await findBehaviourEvents(db, { leadIds: [A], windows: new Map(), latest: new Set(), perTypeLimit: 1 })).toEqual([]);
      expect(await findBehaviourEvents(db, { leadIds: [], windows, latest: new Set(), perTypeLimit: 1 })).toEqual([]);
    } finally {
      await close();
    }
  });
});
