import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { countLeadsPerNode } from "./runs.repository.js";

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";
const EVENT = "10000000-0000-4000-8000-000000000001";
const lead = (id: string) => ({ id, email: `${id}@example.com`, email_lower: `${id}@example.com`, tier: "Cold", properties: "{}", categories: "{}", flow_state: "{}" });
const run = (id: string, leadId: string, path: string[], startedAt: string, eventId: string | null = null) => ({
  id, lead_id: leadId, flow_id: "f", flow_version: 1, trigger_node_id: "t", event_id: eventId, path: JSON.stringify(path), status: "completed",
  started_at: startedAt, updated_at: startedAt,
});

describe.each(testDatabaseKinds)("runs repository on %s", (kind) => {
  it("counts distinct leads per node of one flow's runs since an instant; finds runs with their events", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await db.insertInto("leads").values([lead(A), lead(B)]).execute();
      await db.insertInto("events").values({ id: EVENT, idempotency_key: EVENT, lead_id: A, type: "signup", properties: JSON.stringify({ plan: "pro" }), occurred_at: "2026-03-01T00:00:00Z" }).execute();
      await db.insertInto("flow_runs").values([
        run("20000000-0000-4000-8000-000000000001", A, ["t", "e"], "2026-03-01T00:00:00Z", EVENT),
        run("20000000-0000-4000-8000-000000000002", A, ["t", "x"], "2026-03-02T00:00:00Z"),
        run("20000000-0000-4000-8000-000000000003", B, ["t"], "2026-03-02T00:00:00Z"),
        run("20000000-0000-4000-8000-000000000004", B, ["t", "e"], "2026-01-01T00:00:00Z"),
        { ...run("20000000-0000-4000-8000-000000000005", B, ["e"], "2026-03-02T00:00:00Z"), flow_id: "other" },
      ]).execute();
      const counts = await countLeadsPerNode(db, "f", new Date("2026-02-01T00:00:00Z"));
      expect(Object.fromEntries(counts.map((c) => [c.nodeId, c.leads]))).toEqual({ t: 2, e: 1, x: 1 });

    } finally {
      await close();
    }
  });
});
