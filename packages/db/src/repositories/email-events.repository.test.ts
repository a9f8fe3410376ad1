import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { findLeadAddress, isAddressSuppressed, lockLeadForSend, suppressUnsubscribed } from "./email-events.repository.js";

const LEAD = "00000000-0000-4000-8000-00000000000a";

describe.each(testDatabaseKinds)("e-mail events repository on %s", (kind) => {
  it("reads a lead's address and send status, and suppresses it on unsubscribe, once", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await db.insertInto("leads").values({ id: LEAD, email: "Ann@Example.com", email_lower: "ann@example.com", tier: "Cold" }).execute();
      const lead = await findLeadAddress(db, LEAD);
      expect(lead).toEqual({ id: LEAD, email: "Ann@Example.com", email_lower: "ann@example.com" });
      expect(await findLeadAddress(db, "00000000-0000-4000-8000-00000000000b")).toBeUndefined();
      expect(await db.transaction().execute((trx) => lockLeadForSend(trx, LEAD))).toEqual({ status: "active", email_lower: "ann@example.com" });
      expect(await isAddressSuppressed(db, "ann@example.com")).toBe(false);

      const now = new Date("2026-11-02T09:00:00Z");
      await suppressUnsubscribed(db, lead!, now);
      await db.transaction().execute((trx) => suppressUnsubscribed(trx, lead!, new Date("2026-11-03T09:00:00Z")));
      expect(await isAddressSuppressed(db, "ann@example.com")).toBe(true);
      expect(await db.transaction().execute((trx) => lockLeadForSend(trx, LEAD))).toMatchObject({ status: "unsubscribed" });
      const rows = await db.selectFrom("email_suppressions").select(["email_lower", "reason", "lead_id", "created_at"]).execute();
      // the first suppression stays as it was
      expect(rows.map((r) => ({ ...r, created_at: new Date(r.created_at) }))).toEqual([{ email_lower: "ann@example.com", reason: "unsubscribe", lead_id: LEAD, created_at: now }]);
    } finally {
      await close();
    }
  });
});
