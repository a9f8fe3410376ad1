import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";
import { setUpHandOff } from "./testing/scenario.js";

/** Concurrent batches over the same leads: every event counted once, each lead's score the sum of its events. */
describe.each(testDatabaseKinds)("concurrent ingestion on %s", (kind) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(kind);
    await setUpHandOff(s);
  });
  afterAll(() => s?.close());

  it("8 requests of 200 events over 50 new leads, sharing some events: counted once, scores add up, no duplicate jobs", async () => {
    const LEADS = 50;
    const BATCHES = 8;
    const PER_BATCH = 200;
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const email = (i: number) => `Lead${i}@Concurrent.test`;
    const points = new Map<string, number>(); // lower-cased e-mail -> expected engagement
    const batches = Array.from({ length: BATCHES }, (_, b) =>
      Array.from({ length: PER_BATCH }, (_, i) => {
        const lead = Math.floor(rand() * LEADS);
        const r = rand();
        const [type, properties, value] =
          r < 0.6
            ? ["page_view", { url: "https://example.com/pricing" }, 10]
            : r < 0.75
              ? ["demo_request", {}, 30]
              : r < 0.77
                ? ["unsubscribe", {}, 0]
                : ["page_view", { url: "https://example.com/blog" }, 0];
        const key = email(lead).toLowerCase();
        points.set(key, (points.get(key) ?? 0) + (value as number));
        return { id: `c-${b}-${i}`, email: email(lead), type, properties };
      }),
    );
    // each request also resends 20 events of the next one: whichever stores them first counts them
    const bodies = batches.map((events, b) => ({ events: [...events, ...batches[(b + 1) % BATCHES]!.slice(0, 20)] }));

    const replies = await Promise.all(bodies.map((body) => s.api("POST", "/api/v1/events?wait=true", body)));
    for (const r of replies) {
      expect(r.status).toBe(200);
      expect(r.body.errors).toEqual([]);
    }
    expect(replies.reduce((n, r) => n + r.body.accepted, 0)).toBe(BATCHES * PER_BATCH);
    expect(replies.reduce((n, r) => n + r.body.duplicates, 0)).toBe(BATCHES * 20);

    const db = s.ctx.deps.db;
    const events = await db.selectFrom("events").select(sql<number>`count(*)::int`.as("n")).where("idempotency_key", "like", "c-%").executeTakeFirstOrThrow();
    expect(Number(events.n)).toBe(BATCHES * PER_BATCH);

    const leads = await db.selectFrom("leads").select(["id", "email_lower", "engagement", "total", "fit"]).execute();
    expect(leads).toHaveLength(points.size);
    const ledger = await db
      .selectFrom("score_ledger")
      .select(["lead_id", sql<number>`sum(delta)`.as("points"), sql<number>`count(distinct event_id)::int`.as("events"), sql<number>`count(*)::int`.as("rows")])
      .groupBy("lead_id")
      .execute();
    const ledgerOf = new Map(ledger.map((l) => [l.lead_id, l]));
    for (const lead of leads) {
      expect(lead.engagement, lead.email_lower).toBe(points.get(lead.email_lower));
      expect(lead.total).toBe(lead.fit + lead.engagement);
      const l = ledgerOf.get(lead.id);
      expect(Number(l?.points ?? 0), lead.email_lower).toBe(lead.engagement);
      expect(l?.rows ?? 0).toBe(l?.events ?? 0); // one ledger entry per scoring event
    }

    // the 50-point threshold is crossed once per lead: one job per node and lead at most
    const jobs = await db
      .selectFrom("outbox_jobs")
      .select(["lead_id", "node_id", sql<number>`count(*)::int`.as("n")])
      .groupBy(["lead_id", "node_id"])
      .execute();
    expect(jobs.filter((j) => Number(j.n) !== 1)).toEqual([]);
    const crossed = leads.filter((l) => l.engagement >= 50).map((l) => l.id).sort();
    expect([...new Set(jobs.filter((j) => j.node_id === "mail").map((j) => j.lead_id))].sort()).toEqual(crossed);
    const deals = await db.selectFrom("deals").select(["lead_id"]).execute();
    expect(deals.map((d) => d.lead_id).sort()).toEqual(crossed);
  });
});
