import { countLeadsPerNode, listVersionsOfFlow, type DB, type Kysely } from "@leadflow/db";

/** How many distinct leads passed each node of a flow since `since` (any version). */
export async function nodePassCounts(db: Kysely<DB>, flowId: string, since: Date): Promise<Record<string, number>> {
  const rows = await countLeadsPerNode(db, flowId, since);
  return Object.fromEntries(rows.map((r) => [r.nodeId, r.leads]));
}

export async function listFlowVersions(db: Kysely<DB>, flowId: string) {
  const rows = await listVersionsOfFlow(db, flowId);
  return rows.map((r) => ({ version: r.version, publishedAt: new Date(r.published_at).toISOString() }));
}
