import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "./testing.js";

const lead = (id: string, email: string) => ({
  id, email, email_lower: email.toLowerCase(), tier: "Cold", properties: "{}", categories: "{}", flow_state: "{}",
});
const event = (id: string, leadId: string, type: string, properties: Record<string, unknown> = {}) => ({
  id, idempotency_key: id, lead_id: leadId, type, properties: JSON.stringify(properties), occurred_at: new Date().toISOString(),
});

describe.each(testDatabaseKinds)("e-mail suppression triggers on %s", (kind) => {
  it("suppresses on unsubscribe and hard bounce, not soft, and keeps the status through rewrites and re-creation", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      const a = "00000000-0000-4000-8000-00000000000a";
      const b = "00000000-0000-4000-8000-00000000000b";
      await db.insertInto("leads").values([lead(a, "Ann@Example.com"), lead(b, "bob@example.com")]).execute();
      await db.insertInto("events").values([
        event("10000000-0000-4000-8000-000000000001", a, "unsubscribe"),
        event("10000000-0000-4000-8000-000000000002", b, "email_bounce", { kind: "soft" }),
      ]).execute();
      const status = async (id: string) => (await db.selectFrom("leads").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;
      expect(await status(a)).toBe("unsubscribed");
      expect(await status(b)).toBe("active");
      await db.insertInto("events").values(event("10000000-0000-4000-8000-000000000003", b, "email_bounce", { kind: "hard" })).execute();
      expect(await status(b)).toBe("bounced");

      // a later write of the whole row (ingest, upsert) cannot make a suppressed lead active again
      await db.updateTable("leads").set({ status: "active" }).where("id", "in", [a, b]).execute();
      expect([await status(a), await status(b)]).toEqual(["unsubscribed", "bounced"]);
      // nor can deleting and re-importing it
      await db.deleteFrom("leads").where("id", "=", a).execute();
      await db.insertInto("leads").values(lead("00000000-0000-4000-8000-00000000000c", "ann@example.com")).execute();
      expect(await status("00000000-0000-4000-8000-00000000000c")).toBe("unsubscribed");
      const rows = await db.selectFrom("email_suppressions").select(["email_lower", "reason"]).orderBy("email_lower").execute();
      expect(rows).toEqual([{ email_lower: "ann@example.com", reason: "unsubscribe" }, { email_lower: "bob@example.com", reason: "bounce" }]);
    } finally {
      await close();
    }
  });
});
