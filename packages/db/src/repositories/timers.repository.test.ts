import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { takeDueTimers } from "./timers.repository.js";

const A = "00000000-0000-4000-8000-00000000000a";
const RUN = "20000000-0000-4000-8000-000000000001";
const NOW = new Date("2026-03-10T12:00:00Z");
const timer = (n: number, dueAt: string, status = "pending") => ({
  id: `30000000-0000-4000-8000-00000000000${n}`, lead_id: A, run_id: RUN, flow_id: "f", flow_version: 1, node_id: `w${n}`, due_at: dueAt, status,
});

describe.each(testDatabaseKinds)("timers repository on %s", (kind) => {
  it("takes due timers in one statement: marked done, with their run's trigger node, in lead and due order", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await db.insertInto("leads").values({ id: A, email: "a@example.com", email_lower: "a@example.com", tier: "Cold", properties: "{}", categories: "{}", flow_state: "{}" }).execute();
      await db.insertInto("flow_runs").values({ id: RUN, lead_id: A, flow_id: "f", flow_version: 1, trigger_node_id: "t", event_id: null, path: "[]", status: "waiting", started_at: NOW, updated_at: NOW }).execute();
      await db.insertInto("timers").values([timer(1, "2026-03-10T11:00:00Z"), timer(2, "2026-03-09T00:00:00Z"), timer(3, "2026-03-10T12:00:01Z")]).execute();
      const taken = await db.transaction().execute((trx) => takeDueTimers(trx, NOW, 10));
      expect(taken.map((t) => [t.id.slice(-1), t.trigger_node_id, t.event_id])).toEqual([["2", "t", null], ["1", "t", null]]);
      expect(await db.transaction().execute((trx) => takeDueTimers(trx, NOW, 10))).toEqual([]);
      const status = await db.selectFrom("timers").select(["id", "status"]).orderBy("id").execute();
      expect(status.map((t) => t.status)).toEqual(["done", "done", "pending"]);
      // a rollback leaves them pending
      await db.insertInto("timers").values(timer(4, "2026-03-10T10:00:00Z")).execute();
      await expect(db.transaction().execute(async (trx) => {
        expect((await takeDueTimers(trx, NOW, 10)).length).toBe(1);
        throw new Error("crash");
      })).rejects.toThrow("crash");
      expect((await db.selectFrom("timers").select("status").where("id", "=", timer(4, "").id).executeTakeFirstOrThrow()).status).toBe("pending");
    } finally {
      await close();
    }
  });
});
