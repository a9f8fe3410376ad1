import { dashboardCounts, type DB, type Kysely } from "@leadflow/db";

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

/** The dashboard's numbers as of `now`: this week is since Monday 00:00 UTC, today the last 24 hours. */
export async function dashboardStats(db: Kysely<DB>, now: Date): Promise<DashboardStats> {
  const c = await dashboardCounts(db, startOfWeek(now), new Date(now.getTime() - 86_400_000));
  return {
    leads: c.byTier.reduce((a, t) => a + t.leads, 0),
    byTier: c.byTier,
    handoffsThisWeek: c.dealsSinceWeekStart,
    emailsSentThisWeek: c.emailsSentSinceWeekStart,
    emailsPending: c.emailsPending,
    emailsDead: c.emailsDead,
    eventsToday: c.eventsSinceDayStart,
  };
}
