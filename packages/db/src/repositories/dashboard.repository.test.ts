import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { dashboardCounts } from "./dashboard.repository.js";

const uuid = (prefix: number, n: number) => `${prefix}0000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const WEEK = new Date("2026-11-02T00:00:00.000Z");
const DAY = new Date("2026-11-03T09:00:00.000Z");
const job = (n: number, status: string, sentAt: string | null, jobType = "email") => ({
  id: uuid(3, n), lead_id: uuid(1, 1), run_id: uuid(2, 1), flow_id: "f", node_id: `n${n}`, job_type: jobType, status, sent_at: sentAt,
  next_attempt_at: "2026-11-01T00:00:00.000Z",
});

describe.each(testDatabaseKinds)("dashboard repository on %s", (kind) => {
  it("counts leads per tier, this week's hand-offs and e-mails, the outbox backlog and today's events", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await db.insertInto("leads").values(["Cold", "Warm", "Warm"].map((tier, n) => ({ id: uuid(1, n), email: `${n}@x.test`, email_lower: `${n}@x.test`, tier }))).execute();
      await db.insertInto("deals").values([
        { id: uuid(4, 1), lead_id: uuid(1, 1), rep_id: "r", stage: "new", created_at: "2026-11-02T10:00:00.000Z" },
        { id: uuid(4, 2), lead_id: uuid(1, 1), rep_id: "r", stage: "new", created_at: "2026-11-01T10:00:00.000Z" },
      ]).execute();
      await db.insertInto("outbox_jobs").values([
        job(1, "sent", "2026-11-02T10:00:00.000Z"), job(2, "sent", "2026-11-01T10:00:00.000Z"), job(3, "sent", "2026-11-02T10:00:00.000Z", "notify"),
        job(4, "pending", null), job(5, "sending", null), job(6, "dead", null),
      ]).execute();
      await db.insertInto("events").values([1, 2].map((n) => ({
        id: uuid(5, n), idempotency_key: `k${n}`, lead_id: uuid(1, 1), type: "page_view", occurred_at: "2026-11-01T00:00:00.000Z",
        received_at: n === 1 ? "2026-11-03T10:00:00.000Z" : "2026-11-02T10:00:00.000Z",
      }))).execute();
      const counts = await dashboardCounts(db, WEEK, DAY);
      expect([...counts.byTier].sort((a, b) => a.tier.localeCompare(b.tier))).toEqual([{ tier: "Cold", leads: 1 }, { tier: "Warm", leads: 2 }]);
      expect(counts).toMatchObject({ dealsSinceWeekStart: 1, emailsSentSinceWeekStart: 1, emailsPending: 2, emailsDead: 1, eventsSinceDayStart: 1 });
    } finally {
      await close();
    }
  });
});
