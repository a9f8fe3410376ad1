import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listExpiringFlowEntries, listFreshFlowEntries, sql, type Database } from "@leadflow/db";
import { createTestDatabase, testDatabaseKinds } from "@leadflow/db/testing";
import { decayScores, tierFor, type DecayEntry } from "@leadflow/engine";
import { FlowCache, ingestEvents, publishFlow, saveFlowDraft, saveScoringModel, tick, type RuntimeDeps } from "@leadflow/runtime";
import { TestClock } from "./testing/harness.js";

/**
 * Issue 10: a half-life pass decays most leads in SQL and hands the engine only those whose change
 * can matter to it. Whichever path a lead takes, its scores must be what the engine's decayScores
 * gives, the ledger must still sum to them, and tier changes and crossings must all happen.
 */
const DAY = 86_400_000;
const TIERS = [{ name: "Cold", min: 0 }, { name: "Warm", min: 30 }, { name: "Hot", min: 70 }];

const heat = {
  id: "heat",
  name: "Heat",
  reentry: "always",
  nodes: [
    { id: "t-visit", type: "trigger.event", config: { eventType: "page_view" } },
    { id: "p-visit", type: "score.add", config: { points: 7, category: "web" } },
    { id: "t-demo", type: "trigger.event", config: { eventType: "demo_request" } },
    { id: "p-demo", type: "score.add", config: { points: 23 } },
    { id: "h", type: "score.threshold", config: { atLeast: 45 } },
    { id: "t-cool", type: "trigger.score", config: { crosses: 20, direction: "down", score: "engagement" } },
    { id: "x", type: "exit", config: {} },
  ],
  edges: [
    { from: "t-visit", to: "p-visit" },
    { from: "t-demo", to: "p-demo" },
    { from: "p-demo", to: "h" },
    { from: "t-cool", to: "x" },
  ],
};

const toEntry = (r: { id: string | number; delta: number; category: string | null; at: Date | string; expires_at: Date | string | null }): DecayEntry => ({
  id: String(r.id), delta: r.delta, category: r.category, at: new Date(r.at).getTime(), expiresAt: r.expires_at === null ? null : new Date(r.expires_at).getTime(),
});

describe.each(testDatabaseKinds)("decay in sets on %s", (kind) => {
  let database: Database;
  let deps: RuntimeDeps;
  const clock = new TestClock(new Date("2026-11-02T09:00:00Z"));
  const t0 = clock.now().getTime();

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    deps = { db: database.db, clock, config: { publicUrl: "http://leadflow.test", mailFrom: "hello@leadflow.test" }, newId: randomUUID, flows: new FlowCache() };
    await saveScoringModel(database.db, { tiers: TIERS, decay: { kind: "halfLife", days: 30 } });
    await saveFlowDraft(database.db, "heat", heat);
    await publishFlow(database.db, "heat");
  });
  afterAll(() => database?.close());

  /** 60 leads with different mixes of categorised, uncategorised and late points. */
  async function ingestDay(day: number) {
    clock.set(new Date(t0 + day * DAY).toISOString());
    const events = Array.from({ length: 60 }, (_, i) => {
      const visits = (i * 7 + day) % 5;
      const list: Record<string, unknown>[] = Array.from({ length: visits }, (_, v) => ({ email: `l${i}@example.com`, type: "page_view", properties: { v, day } }));
      if ((i + day) % 3 === 0) list.push({ email: `l${i}@example.com`, type: "demo_request", occurredAt: new Date(t0 + (day - (i % 9)) * DAY).toISOString() });
      return list;
    }).flat();
    await ingestEvents(deps, events);
  }

  /** What the engine's decayScores says every lead's scores become at `now`. */
  async function expected(now: number) {
    const leads = await database.db.selectFrom("leads").selectAll().execute();
    const ids = leads.map((l) => l.id);
    const fresh = await listFreshFlowEntries(database.db, ids);
    const unexpired = await listExpiringFlowEntries(database.db, ids, new Date(now), null);
    return new Map(
      leads.map((l) => {
        const decayedAt = new Date(l.decayed_at as unknown as string).getTime();
        const out = decayScores({
          engagement: l.engagement, categories: l.categories, decayedAt: Number.isFinite(decayedAt) ? decayedAt : null, now, policy: { kind: "halfLife", days: 30 },
          fresh: fresh.filter((e) => e.lead_id === l.id).map((e) => ({ ...toEntry(e), processedAt: new Date(e.processed_at).getTime() })),
          unexpired: unexpired.filter((e) => e.lead_id === l.id).map(toEntry),
        });
        return [l.id, { ...out, tierBefore: l.tier, fit: l.fit, engagementBefore: l.engagement }] as const;
      }),
    );
  }

  it("gives every lead the engine's scores, keeps the ledger summing to them, and misses no tier change or crossing", async () => {
    let tierChanges = 0;
    let crossings = 0;
    for (const day of [0, 3, 4, 11, 40, 41, 75]) {
      await ingestDay(day);
      const now = t0 + (day + 1) * DAY;
      const want = await expected(now);
      clock.set(new Date(now).toISOString());
      const report = await tick(deps, clock.now());
      const rows = await database.db.selectFrom("leads").select(["id", "engagement", "categories", "tier", "total", "fit", "decayed_at"]).execute();
      expect(report.decay.leads).toBe(rows.length);
      for (const row of rows) {
        const w = want.get(row.id)!;
        expect(row.engagement).toBeCloseTo(w.engagement, 9);
        expect(Object.keys(row.categories).sort()).toEqual(Object.keys(w.categories).sort());
        for (const [name, v] of Object.entries(w.categories)) expect(row.categories[name]).toBeCloseTo(v, 9);
        expect(row.total).toBeCloseTo(row.fit + row.engagement, 9);
        expect(row.tier).toBe(tierFor(TIERS, w.fit + w.engagement));
        expect(new Date(row.decayed_at as unknown as string).getTime()).toBe(now);
        if (row.tier !== w.tierBefore) tierChanges++;
        if (w.engagementBefore >= 20 && w.engagement < 20) crossings++;
      }
    }
    const { rows: sums } = await sql<{ id: string; engagement: number; ledger: number; off: number }>`
      SELECT l.id, l.engagement, coalesce(sum(e.delta), 0) AS ledger,
        (SELECT count(*)::int FROM jsonb_each_text(l.categories) c
          WHERE abs(c.value::float8 - coalesce((SELECT sum(x.delta) FROM score_ledger x WHERE x.lead_id = l.id AND x.category = c.key), 0)) > 1e-6) AS off
      FROM leads l LEFT JOIN score_ledger e ON e.lead_id = l.id GROUP BY l.id`.execute(database.db);
    for (const s of sums) {
      expect(Number(s.ledger)).toBeCloseTo(s.engagement, 6);
      expect(Number(s.off)).toBe(0);
    }
    const counts = await sql<{ tiers: number; cooled: number; decays: number }>`
      SELECT (SELECT count(*)::int FROM tier_changes WHERE event_id IS NULL) AS tiers,
             (SELECT count(*)::int FROM flow_runs WHERE trigger_node_id = 't-cool') AS cooled,
             (SELECT count(*)::int FROM score_ledger WHERE reason = 'decay') AS decays`.execute(database.db);
    // every tier change decay caused is recorded, every downward crossing of 20 started its run
    expect(tierChanges).toBeGreaterThan(0);
    expect(crossings).toBeGreaterThan(0);
    expect(counts.rows[0]!.tiers).toBe(tierChanges);
    expect(counts.rows[0]!.cooled).toBe(crossings);
    expect(counts.rows[0]!.decays).toBeGreaterThan(0);
    // thresholds re-arm: no lead keeps a mark for a score it is below
    const marked = await database.db.selectFrom("leads").select(["engagement", "fit", "flow_state"]).execute();
    for (const l of marked) for (const t of Object.values(l.flow_state.thresholds)) expect(l.fit + l.engagement).toBeGreaterThanOrEqual(t.atLeast);
  }, 120_000);

  it("a second pass at the same instant changes nothing", async () => {
    const before = await database.db.selectFrom("leads").select(["id", "engagement", "categories"]).orderBy("id").execute();
    const ledger = await database.db.selectFrom("score_ledger").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const report = await tick(deps, clock.now(), { decayEveryMs: 0 });
    expect(report.decay.changed).toBe(0);
    expect(await database.db.selectFrom("leads").select(["id", "engagement", "categories"]).orderBy("id").execute()).toEqual(before);
    expect(await database.db.selectFrom("score_ledger").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).toEqual(ledger);
  });
});
