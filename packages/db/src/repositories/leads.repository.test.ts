import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import {
  findKnownEmails, findLead, findLeadOwner, insertLeadIfAbsent, insertNewLeads, listLeadRows,
  lockLeadByEmail, updateLeadPatches, type LeadPatch,
} from "./leads.repository.js";

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";
const C = "00000000-0000-4000-8000-00000000000c";
const flowState = { thresholds: {}, entries: {} };
const newLead = (id: string, email: string, fit = 0) => ({ id, email, properties: {}, fit, tier: "Cold", flowState });

describe.each(testDatabaseKinds)("leads repository on %s", (kind) => {
  const withDb = async (test: (db: Awaited<ReturnType<typeof createTestDatabase>>["db"]) => Promise<void>) => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await test(db);
    } finally {
      await close();
    }
  };

  it("inserts a lead once per e-mail and finds it by id or e-mail, locked or not", () =>
    withDb(async (db) => {
      expect(await insertLeadIfAbsent(db, { ...newLead(A, "Ann@Example.com", 5), properties: { firstName: "Ann" } })).toBe(true);
      expect(await insertLeadIfAbsent(db, newLead(B, "ann@example.COM"))).toBe(false);
      const byId = await findLead(db, { id: A });
      expect(byId).toMatchObject({ email: "Ann@Example.com", email_lower: "ann@example.com", fit: 5, total: 5, properties: { firstName: "Ann" } });
      expect((await findLead(db, { emailLower: "ann@example.com" }))?.id).toBe(A);
      expect(await findLead(db, { id: B })).toBeUndefined();
      expect((await db.transaction().execute((trx) => lockLeadByEmail(trx, "ann@example.com")))?.id).toBe(A);
    }));

  it("inserts new leads in bulk, skipping known e-mails, and returns them with versions", () =>
    withDb(async (db) => {
      await insertLeadIfAbsent(db, newLead(A, "ann@example.com"));
      const inserted = await insertNewLeads(db, [
        { id: B, email: "Bob@example.com", email_lower: "bob@example.com", fit: 3, total: 3, tier: "Cold" },
        { id: C, email: "ann@example.com", email_lower: "ann@example.com", fit: 3, total: 3, tier: "Cold" },
      ]);
      expect(inserted.map((r) => [r.id, r.email, r.fit, typeof r.row_version])).toEqual([[B, "Bob@example.com", 3, "string"]]);
      expect([...(await findKnownEmails(db, ["ann@example.com", "bob@example.com", "cat@example.com"]))].sort()).toEqual(["ann@example.com", "bob@example.com"]);
    }));

  it("writes the engine's columns in bulk, keeping the status when asked and moving decayed_at forward only", () =>
    withDb(async (db) => {
      await insertNewLeads(db, [A, B].map((id) => ({ id, email: `${id}@x.test`, email_lower: `${id}@x.test`, fit: 0, total: 0, tier: "Cold" })));
      const patch = (id: string, status: string): LeadPatch => ({
        id, properties: { company: "Acme" }, stage: "mql", status, owner_id: "rep1", fit: 1.5, engagement: 2, total: 3.5,
        categories: { pricing: 2 }, tier: "Warm", flow_state: flowState, last_activity_at: "2026-11-01T10:00:00.000Z",
      });
      const now = new Date("2026-11-02T09:00:00.000Z");
      await updateLeadPatches(db, [patch(A, "unsubscribed")], now, { keepStatus: true, decayedAt: new Date("2026-11-02T00:00:00.000Z") });
      await updateLeadPatches(db, [patch(B, "unsubscribed")], now);
      const a = (await findLead(db, { id: A }))!;
      expect(a).toMatchObject({ status: "active", stage: "mql", owner_id: "rep1", fit: 1.5, total: 3.5, categories: { pricing: 2 }, properties: { company: "Acme" } });
      expect(new Date(a.decayed_at).toISOString()).toBe("2026-11-02T00:00:00.000Z");
      expect(new Date(a.updated_at).toISOString()).toBe(now.toISOString());
      expect((await findLead(db, { id: B }))!.status).toBe("unsubscribed");
      await updateLeadPatches(db, [patch(A, "active")], now, { decayedAt: new Date("2026-10-01T00:00:00.000Z") });
      expect(new Date((await findLead(db, { id: A }))!.decayed_at).toISOString()).toBe("2026-11-02T00:00:00.000Z");
    }));

  it("lists leads filtered, sorted and paged, with the owner's name", () =>
    withDb(async (db) => {
      await db.insertInto("sales_reps").values({ id: "rep1", name: "Rita", email: "rita@sales.test", sort: 0 }).execute();
      await insertNewLeads(db, [
        { id: A, email: "ann@example.com", email_lower: "ann@example.com", fit: 0, total: 10, tier: "Cold" },
        { id: B, email: "bob@example.com", email_lower: "bob@example.com", fit: 0, total: 50, tier: "Warm" },
        { id: C, email: "cat@example.com", email_lower: "cat@example.com", fit: 0, total: 30, tier: "Warm" },
      ]);
      await db.updateTable("leads").set({ owner_id: "rep1", properties: JSON.stringify({ firstName: "Cat", company: "100% Acme" }) }).where("id", "=", C).execute();
      const page = { limit: 2, offset: 0 };
      const emails = (r: { rows: { email: string }[] }) => r.rows.map((x) => x.email);
      const all = await listLeadRows(db, {}, "score", page);
      expect([all.total, emails(all)]).toEqual([3, ["bob@example.com", "cat@example.com"]]);
      expect(emails(await listLeadRows(db, {}, "email", { limit: 2, offset: 2 }))).toEqual(["cat@example.com"]);
      expect(emails(await listLeadRows(db, { tier: "Warm", owner: "none" }, "score", page))).toEqual(["bob@example.com"]);
      const owned = await listLeadRows(db, { owner: "rep1" }, "score", page);
      expect(owned.rows.map((r) => [r.email, r.owner_name])).toEqual([["cat@example.com", "Rita"]]);
      // the search matches names and companies, and a % in it is a character, not a wildcard
      expect(emails(await listLeadRows(db, { search: "CAT" }, "score", page))).toEqual(["cat@example.com"]);
      expect(emails(await listLeadRows(db, { search: "100%" }, "score", page))).toEqual(["cat@example.com"]);
      expect((await listLeadRows(db, { search: "0%a" }, "score", page)).total).toBe(0);
      expect(await findLeadOwner(db, "rep1")).toEqual({ id: "rep1", name: "Rita", email: "rita@sales.test" });
    }));
});
