import { findLeadEvents, findLeadMessageJobs, findLeadRuns, findLeadTierChanges, type DB, type Kysely } from "@leadflow/db";

export interface LeadActivity {
  events: { id: string; type: string; properties: Record<string, unknown>; occurredAt: string }[];
  emails: { id: string; kind: string; templateId: string | null; status: string; flowId: string; nodeId: string; createdAt: string; sentAt: string | null; lastError: string | null }[];
  tierChanges: { from: string; to: string; at: string }[];
  runs: { id: string; flowId: string; version: number; path: string[]; status: string; startedAt: string }[];
}

const iso = (d: Date | string) => new Date(d).toISOString();

/** What a lead did and what Leadflow did about it: the timeline of the lead page. */
export async function leadActivity(db: Kysely<DB>, leadId: string): Promise<LeadActivity> {
  const [events, jobs, tiers, runs] = await Promise.all([
    findLeadEvents(db, leadId, 200),
    findLeadMessageJobs(db, leadId, 200),
    findLeadTierChanges(db, leadId, 100),
    findLeadRuns(db, leadId, 100),
  ]);
  return {
    events: events.map((e) => ({ id: e.id, type: e.type, properties: e.properties, occurredAt: iso(e.occurred_at) })),
    emails: jobs.map((j) => ({
      id: j.id, kind: j.job_type, templateId: typeof j.payload.templateId === "string" ? j.payload.templateId : null, status: j.status,
      flowId: j.flow_id, nodeId: j.node_id, createdAt: iso(j.created_at), sentAt: j.sent_at ? iso(j.sent_at) : null, lastError: j.last_error,
    })),
    tierChanges: tiers.map((t) => ({ from: t.from_tier, to: t.to_tier, at: iso(t.at) })),
    runs: runs.map((r) => ({ id: r.id, flowId: r.flow_id, version: r.flow_version, path: r.path, status: r.status, startedAt: iso(r.started_at) })),
  };
}
