import { sql, type Kysely } from "kysely";
import type { DB } from "../tables.js";

/** Flow runs: one row per run of a flow for a lead, with the path of nodes it passed. */

/** How many distinct leads passed each node of a flow in runs started since `since` (any version). */
export async function countLeadsPerNode(db: Kysely<DB>, flowId: string, since: Date): Promise<{ nodeId: string; leads: number }[]> {
  const { rows } = await sql<{ node_id: string; leads: number }>`
    SELECT p.node_id, count(DISTINCT r.lead_id)::int AS leads
    FROM flow_runs r CROSS JOIN LATERAL jsonb_array_elements_text(r.path) AS p(node_id)
    WHERE r.flow_id = ${flowId} AND r.started_at >= ${since}
    GROUP BY p.node_id`.execute(db);
  return rows.map((r) => ({ nodeId: r.node_id, leads: Number(r.leads) }));
}
