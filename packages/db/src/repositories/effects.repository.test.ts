import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { insertEngineEffects, type EngineEffectRows } from "./effects.repository.js";
import { findLeadMessageJobs, findLeadRuns, findLeadTierChanges } from "./leads.repository.js";
import { latestLedgerRows } from "./ledger.repository.js";

const LEAD = "00000000-0000-4000-8000-00000000000a";
const RUN = "20000000-0000-4000-8000-000000000001";
const EVENT = "10000000-0000-4000-8000-000000000001";
const id = (n: number) => `30000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const T0 = "2026-11-02T09:00:00.000Z";
const T1 = "2026-11-03T09:00:00.000Z";

const none = (): EngineEffectRows => ({ runs: [], ledger: [], tierChanges: [], jobs: [], timers: [], deals: [] });
const run = (path: string[], status: string, at: string) => ({
  id: RUN, lead_id: LEAD, flow_id: "hand-off", flow_version: 1, trigger_node_id: "t", event_id: EVENT, path, status, started_at: at, updated_at: at,
});
const job = (jobId: string, nodeId: string) => ({
  id: jobId, lead_id: LEAD, run_id: RUN, flow_id: "hand-off", node_id: nodeId, job_type: "email", payload: { templateId: "warm-intro" },
  status: "pending", next_attempt_at: T0,
});

describe.each(testDatabaseKinds)("engine effects repository on %s", (kind) => {
  it("inserts every table's rows in one statement; a run seen again appends its path; a job or timer per run and node once", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await insertEngineEffects(db, none()); // nothing to write: no statement
      await insertEngineEffects(db, {
        runs: [run(["t", "p-demo"], "waiting", T0)],
        ledger: [{
          lead_id: LEAD, delta: 30, category: "demo", flow_id: "hand-off", flow_version: 1, node_id: "p-demo", event_id: EVENT, run_id: RUN,
          reason: "flow", at: T0, processed_at: T0, expires_at: null, expired_at: null,
        }],
        tierChanges: [{ lead_id: LEAD, from_tier: "Cold", to_tier: "Warm", event_id: EVENT, at: T0 }],
        jobs: [job(id(1), "mail")],
        timers: [{ id: id(2), lead_id: LEAD, run_id: RUN, flow_id: "hand-off", flow_version: 1, node_id: "wait", due_at: T1, status: "pending" }],
        deals: [{ id: id(3), lead_id: LEAD, rep_id: "rep1", run_id: RUN, stage: "new", created_at: T0 }],
      });
      await insertEngineEffects(db, { ...none(), runs: [run(["wait", "end"], "done", T1)], jobs: [job(id(4), "mail")] });

      const runs = await findLeadRuns(db, LEAD, 10);
      expect(runs.map((r) => [r.id, r.path, r.status])).toEqual([[RUN, ["t", "p-demo", "wait", "end"], "done"]]);
      const jobs = await findLeadMessageJobs(db, LEAD, 10);
      expect(jobs.map((j) => [j.id, j.payload, j.status])).toEqual([[id(1), { templateId: "warm-intro" }, "pending"]]);
      expect((await findLeadTierChanges(db, LEAD, 10)).map((t) => [t.from_tier, t.to_tier])).toEqual([["Cold", "Warm"]]);
      expect((await latestLedgerRows(db, LEAD, 10)).map((l) => [l.delta, l.category, l.node_id])).toEqual([[30, "demo", "p-demo"]]);
      const timers = await db.selectFrom("timers").select(["node_id", "due_at"]).execute();
      expect(timers.map((t) => [t.node_id, new Date(t.due_at).toISOString()])).toEqual([["wait", T1]]);
      expect(await db.selectFrom("deals").select(["rep_id", "stage"]).execute()).toEqual([{ rep_id: "rep1", stage: "new" }]);
    } finally {
      await close();
    }
  });
});
