import { sql, type Kysely } from "kysely";
import type { DB } from "@leadflow/db";

export interface DashboardStats {
  leads: number;
  byTier: { tier: string; leads: number }[];
  handoffsThisWeek: number;
  emailsSentThisWeek: number;
  emailsPending: number;
  emailsDead: number;
  eventsToday: number;
}

const startOfWeek = (now: Date) => {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7)); // Monday
  return d;
};

export async function dashboardStats(db: Kysely<DB>, now: Date): Promise<DashboardStats> {
  const week = startOfWeek(now);
  const day = new Date(now.getTime() - 86_400_000);
  const [tiers, deals, sent, pending, dead, events] = await Promise.all([
    db.selectFrom("leads").select(["tier", sql<number>`count(*)::int`.as("n")]).groupBy("tier").execute(),
    db.selectFrom("deals").select(sql<number>`count(*)::int`.as("n")).where("created_at", ">=", week).executeTakeFirstOrThrow(),
    db.selectFrom("outbox_jobs").select(sql<number>`count(*)::int`.as("n")).where("job_type", "=", "email").where("status", "=", "sent").where("sent_at", ">=", week).executeTakeFirstOrThrow(),
    db.selectFrom("outbox_jobs").select(sql<number>`count(*)::int`.as("n")).where("status", "in", ["pending", "sending"]).executeTakeFirstOrThrow(),
    db.selectFrom("outbox_jobs").select(sql<number>`count(*)::int`.as("n")).where("status", "=", "dead").executeTakeFirstOrThrow(),
    db.selectFrom("events").select(sql<number>`count(*)::int`.as("n")).where("received_at", ">=", day).executeTakeFirstOrThrow(),
  ]);
  return {
    leads: tiers.reduce((a, t) => a + Number(t.n), 0),
    byTier: tiers.map((t) => ({ tier: t.tier, leads: Number(t.n) })),
    handoffsThisWeek: Number(deals.n),
    emailsSentThisWeek: Number(sent.n),
    emailsPending: Number(pending.n),
    emailsDead: Number(dead.n),
    eventsToday: Number(events.n),
  };
}
