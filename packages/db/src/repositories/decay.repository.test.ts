import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import {
  claimLeadsDueForDecay,
  claimLeadsWithExpiringEntries,
  countDecayPreviewMoves,
  insertDecayEntries,
  listDecayPreviewSample,
  listExpiringFlowEntries,
  listFreshFlowEntries,
  markEntriesExpired,
  markLeadsDecayed,
} from "./decay.repository.js";

const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const lead = (n: number, decayedAt: string, scores: { fit?: number; engagement?: number; tier?: string } = {}) => ({
  id: id(n), email: `${n}@example.com`, email_lower: `${n}@example.com`, tier: scores.tier ?? "Cold", properties: "{}", categories: "{}", flow_state: "{}",
  decayed_at: decayedAt, fit: scores.fit ?? 0, engagement: scores.engagement ?? 0, total: (scores.fit ?? 0) + (scores.engagement ?? 0),
});
const entry = (n: number, delta: number, at: string, extra: { processed_at?: string; expires_at?: string | null; reason?: string } = {}) => ({
  lead_id: id(n), delta, reason: extra.reason ?? "flow", at, processed_at: extra.processed_at ?? at, expires_at: extra.expires_at ?? null,
});
const NOW = new Date("2026-03-10T00:00:00Z");
const leadNumbers = (rows: { id: string }[]) => rows.map((r) => Number(r.id.slice(-1)));

describe.each(testDatabaseKinds)("decay repository on %s", (kind) => {
  it("claims leads due for decay and leads with entries whose expiry came", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await db.insertInto("leads").values([lead(1, "2026-03-01T00:00:00Z"), lead(2, "-infinity"), lead(3, "2026-03-09T12:00:00Z")]).execute();
      await db.insertInto("score_ledger").values([
        entry(3, 5, "2026-03-01T00:00:00Z", { expires_at: "2026-03-09T00:00:00Z" }),
        entry(1, 5, "2026-03-01T00:00:00Z", { expires_at: "2026-04-01T00:00:00Z" }),
      ]).execute();
      await db.transaction().execute(async (trx) => {
        expect(leadNumbers(await claimLeadsDueForDecay(trx, new Date("2026-03-09T00:00:00Z"), 10))).toEqual([2, 1]);
        expect(leadNumbers(await claimLeadsDueForDecay(trx, new Date("2026-03-09T00:00:00Z"), 1))).toEqual([2]);
        expect(leadNumbers(await claimLeadsWithExpiringEntries(trx, NOW, 10))).toEqual([3]);
      });
      const [expiring] = await db.selectFrom("score_ledger").select("id").where("lead_id", "=", id(3)).execute();
      await markEntriesExpired(db, [expiring!.id], NOW);
      await markEntriesExpired(db, [], NOW);
      expect(await db.transaction().execute((trx) => claimLeadsWithExpiringEntries(trx, NOW, 10))).toEqual([]);
    } finally {
      await close();
    }
  });

  it("lists fresh and expiring flow entries, writes decay entries, moves decayed_at only forward", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await db.insertInto("leads").values([lead(1, "2026-03-05T00:00:00Z")]).execute();
      await db.insertInto("score_ledger").values([
        entry(1, 1, "2026-03-01T00:00:00Z"), // written before the last decay: not fresh
        entry(1, 2, "2026-02-01T00:00:00Z", { processed_at: "2026-03-06T00:00:00Z" }), // late, but written since
        entry(1, 3, "2026-03-07T00:00:00Z", { expires_at: "2026-03-09T00:00:00Z" }),
        entry(1, 4, "2026-03-07T00:00:00Z", { reason: "decay" }),
      ]).execute();
      const fresh = await listFreshFlowEntries(db, [id(1)]);
      expect(fresh.map((e) => e.delta).sort()).toEqual([2, 3]);
      expect((await listExpiringFlowEntries(db, [id(1)], NOW, null)).map((e) => e.delta)).toEqual([3]);
      const held = await listExpiringFlowEntries(db, [id(1)], NOW, new Date("2026-03-02T00:00:00Z"));
      expect(held.map((e) => e.delta).sort()).toEqual([1, 2, 3]);
      expect(await listFreshFlowEntries(db, [])).toEqual([]);

      const at = NOW.toISOString();
      const none = { flow_id: null, flow_version: null, node_id: null, event_id: null, run_id: null, expires_at: null, expires_entry_id: null };
      const takenBack = String(held.find((e) => e.delta === 3)!.id);
      await insertDecayEntries(db, [
        { ...none, lead_id: id(1), delta: -3, category: null, reason: "expire", at: "2026-03-09T00:00:00Z", processed_at: at, expires_entry_id: takenBack },
        { ...none, lead_id: id(1), delta: -0.5, category: "product", reason: "decay", at, processed_at: at },
      ]);
      await insertDecayEntries(db, []);
      const written = await db.selectFrom("score_ledger").select(["delta", "category", "expires_entry_id"]).where("reason", "in", ["expire", "decay"]).orderBy("id").execute();
      expect(written.map((w) => [w.delta, w.category, w.expires_entry_id && String(w.expires_entry_id)])).toEqual([[4, null, null], [-3, null, takenBack], [-0.5, "product", null]]);

      await markLeadsDecayed(db, [id(1)], NOW);
      await markLeadsDecayed(db, [id(1)], new Date("2026-03-08T00:00:00Z"));
      await markLeadsDecayed(db, [], NOW);
      const { decayed_at } = await db.selectFrom("leads").select("decayed_at").executeTakeFirstOrThrow();
      expect(new Date(decayed_at).toISOString()).toBe(at);
    } finally {
      await close();
    }
  });

  it("previews tiers under a policy: moves per tier pair and the leads that move most", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await db.insertInto("leads").values([
        lead(1, "-infinity", { engagement: 40, tier: "Warm" }),
        lead(2, "-infinity", { fit: 35, engagement: 0, tier: "Warm" }),
        lead(3, "-infinity", { engagement: 80, tier: "Hot" }),
      ]).execute();
      await db.insertInto("score_ledger").values([entry(1, 40, "2026-02-08T00:00:00Z"), entry(3, 80, "2026-03-09T00:00:00Z")]).execute();
      const tiers = [{ name: "Cold", min: 0 }, { name: "Warm", min: 30 }, { name: "Hot", min: 70 }];
      const halfLife = { at: NOW, tiers, halfLifeDays: 30, heldSince: null };
      expect(await countDecayPreviewMoves(db, halfLife)).toEqual([
        { tier: "Hot", newTier: "Hot", leads: 1 },
        { tier: "Warm", newTier: "Cold", leads: 1 },
        { tier: "Warm", newTier: "Warm", leads: 1 },
      ]);
      const [moved] = await listDecayPreviewSample(db, halfLife, 5);
      expect(moved).toMatchObject({ id: id(1), tier: "Warm", new_tier: "Cold", total: 40 });
      expect(moved!.new_total).toBeCloseTo(20, 6);

      const expire = { at: NOW, tiers, halfLifeDays: null, heldSince: new Date("2026-03-01T00:00:00Z") };
      expect((await listDecayPreviewSample(db, expire, 5)).map((s) => [s.id, s.new_total])).toEqual([[id(1), 0]]);
      expect(await listDecayPreviewSample(db, expire, 0)).toEqual([]);
    } finally {
      await close();
    }
  });
});
