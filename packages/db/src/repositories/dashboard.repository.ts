import { sql, type Kysely } from "kysely";
import type { DB } from "../tables.js";

const count = sql<number>`count(*)::int`.as("n");

/** The dashboard's counts: leads per tier, hand-offs and sent e-mails since `weekStart`, the outbox's backlog, events since `dayStart`. */
export async function dashboardCounts(db: Kysely<DB>, weekStart: Date, dayStart: Date) {
  const [byTier, deals, sent, pending, dead, events] = await Promise.all([
    db.selectFrom("leads").select(["tier", count]).groupBy("tier").execute(),
    db.selectFrom("deals").select(count).where("created_at", ">=", weekStart).executeTakeFirstOrThrow(),
    db.selectFrom("outbox_jobs").select(count).where("job_type", "=", "email").where("status", "=", "sent").where("sent_at", ">=", weekStart).executeTakeFirstOrThrow(),
    db.selectFrom("outbox_jobs").select(count).where("status", "in", ["pending", "sending"]).executeTakeFirstOrThrow(),
    db.selectFrom("outbox_jobs").select(count).where("status", "=", "dead").executeTakeFirstOrThrow(),
    db.selectFrom("events").select(count).where("received_at", ">=", dayStart).executeTakeFirstOrThrow(),
  ]);
  return {
    byTier: byTier.map((t) => ({ tier: t.tier, leads: Number(t.n) })),
    dealsSinceWeekStart: Number(deals.n),
    emailsSentSinceWeekStart: Number(sent.n),
    emailsPending: Number(pending.n),
    emailsDead: Number(dead.n),
    eventsSinceDayStart: Number(events.n),
  };
}
