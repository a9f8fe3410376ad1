import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { insertEvents } from "./events.repository.js";

const LEAD = "00000000-0000-4000-8000-00000000000a";
const id = (n: number) => `10000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const event = (n: number, key: string) => ({
  id: id(n), idempotency_key: key, lead_id: n === 3 ? null : LEAD, anonymous_id: n === 3 ? "visitor-1" : null, type: "page_view",
  properties: { url: `https://example.com/${n}` }, occurred_at: "2026-11-01T10:00:00.000Z",
});

describe.each(testDatabaseKinds)("events repository on %s", (kind) => {
  it("insertEvents stores each idempotency key once and returns the ids it stored", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await db.insertInto("leads").values({ id: LEAD, email: "a@x.test", email_lower: "a@x.test", tier: "Cold" }).execute();
      expect(await insertEvents(db, [])).toEqual(new Set());
      expect(await insertEvents(db, [event(1, "k1"), event(2, "k2")])).toEqual(new Set([id(1), id(2)]));
      // k2 again under another id: a duplicate, not stored
      expect(await insertEvents(db, [event(4, "k2"), event(3, "k3")])).toEqual(new Set([id(3)]));
      const rows = await db.selectFrom("events").select(["id", "lead_id", "anonymous_id", "properties", "occurred_at"]).orderBy("idempotency_key").execute();
      expect(rows.map((r) => [r.id, r.lead_id, r.anonymous_id, r.properties])).toEqual([
        [id(1), LEAD, null, { url: "https://example.com/1" }],
        [id(2), LEAD, null, { url: "https://example.com/2" }],
        [id(3), null, "visitor-1", { url: "https://example.com/3" }],
      ]);
      expect(new Date(rows[0]!.occurred_at).toISOString()).toBe("2026-11-01T10:00:00.000Z");
    } finally {
      await close();
    }
  });
});
