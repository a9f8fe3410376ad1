import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { findWebhookEvent } from "./webhooks.repository.js";

const ANN = "00000000-0000-4000-8000-00000000000a";
const BOB = "00000000-0000-4000-8000-00000000000b";
const event = (n: number, leadId: string | null, anonymousId: string | null = null) => ({
  id: `10000000-0000-4000-8000-00000000000${n}`, idempotency_key: `k${n}`, lead_id: leadId, anonymous_id: anonymousId, type: "page_view",
  properties: JSON.stringify({ n }), occurred_at: new Date("2026-11-02T09:00:00Z"),
});

describe.each(testDatabaseKinds)("webhooks repository on %s", (kind) => {
  it("finds the event that started a run only for its own lead, an anonymous one through the lead's identities", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      const lead = (id: string, email: string) => ({ id, email, email_lower: email, tier: "Cold" });
      await db.insertInto("leads").values([lead(ANN, "ann@example.com"), lead(BOB, "bob@example.com")]).execute();
      await db.insertInto("events").values([event(1, ANN), event(2, null, "visitor-1"), event(3, BOB)]).execute();
      await db.insertInto("identities").values({ anonymous_id: "visitor-1", lead_id: ANN, created_at: new Date() }).execute();
      expect(await findWebhookEvent(db, ANN, event(1, ANN).id)).toMatchObject({ id: event(1, ANN).id, idempotency_key: "k1", type: "page_view", properties: { n: 1 } });
      expect(await findWebhookEvent(db, ANN, event(2, null).id)).toMatchObject({ idempotency_key: "k2" });
      expect(await findWebhookEvent(db, ANN, event(3, BOB).id)).toBeUndefined();
      expect(await findWebhookEvent(db, BOB, event(2, null).id)).toBeUndefined();
      expect(await findWebhookEvent(db, ANN, "not-an-id")).toBeUndefined();
    } finally {
      await close();
    }
  });
});
