import { sql, type Kysely } from "kysely";
import type { DB } from "@leadflow/db";

/** How many distinct leads passed each node of a flow since `since` (any version). */
export async function nodePassCounts(db: Kysely<DB>, flowId: string, since: Date): Promise<Record<string, number>> {
  const { rows } = await sql<{ node_id: string; leads: number }>`
    SELECT p.node_id, count(DISTINCT r.lead_id)::int AS leads
    FROM flow_runs r CROSS JOIN LATERAL jsonb_array_elements_text(r.path) AS p(node_id)
    WHERE r.flow_id = ${flowId} AND r.started_at >= ${since}
    GROUP BY p.node_id`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.node_id, Number(r.leads)]));
}

export async function listFlowVersions(db: Kysely<DB>, flowId: string) {
  const rows = await db.selectFrom("flow_versions").select(["version", "published_at"]).where("flow_id", "=", flowId).orderBy("version", "desc").execute();
  return rows.map((r) => ({ version: r.version, publishedAt: new Date(r.published_at).toISOString() }));
}
