import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { insertEvents } from "./events.repository.js";
import {
  countQueuedEvents, countQueuedForLead, deleteQueued, enqueueEvents, liveLeases, partitionOf, PARTITIONS, queuedLeadIds,
  rebalanceLeases, releaseLeases, takeQueuedEvents,
} from "./consumers.repository.js";

const LEAD_A = "00000000-0000-4000-8000-00000000000a";
const LEAD_B = "00000000-0000-4000-8000-00000000000b";
const id = (n: number) => `10000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const event = (n: number, lead: string) => ({
  id: id(n), idempotency_key: `k${n}`, lead_id: lead, anonymous_id: null, type: "page_view", properties: { n }, occurred_at: "2026-11-01T10:00:00.000Z",
});

describe.each(testDatabaseKinds)("consumers repository on %s", (kind) => {
  it("queues events in the given order per lead, takes them with their fields and removes them once scored", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await insertEvents(db, [event(1, LEAD_A), event(2, LEAD_B), event(3, LEAD_A)]);
      // the queue order is the given order, not the ids' order
      await enqueueEvents(db, [{ eventId: id(3), leadId: LEAD_A }, { eventId: id(2), leadId: LEAD_B }, { eventId: id(1), leadId: LEAD_A }]);
      await enqueueEvents(db, [{ eventId: id(1), leadId: LEAD_A }]); // queued once
      expect(await countQueuedForLead(db, LEAD_A)).toBe(2);
      const parts = [partitionOf(LEAD_A), partitionOf(LEAD_B)];
      expect(parts.every((p) => p >= 0 && p < PARTITIONS)).toBe(true);
      expect(await queuedLeadIds(db, parts, 100)).toEqual([LEAD_A, LEAD_B]);
      expect(await queuedLeadIds(db, [...Array(PARTITIONS).keys()].filter((p) => !parts.includes(p)), 100)).toEqual([]);
      const taken = await db.transaction().execute((trx) => takeQueuedEvents(trx, [LEAD_A], 10));
      expect(taken.map((q) => [q.event_id, q.type, q.properties])).toEqual([[id(3), "page_view", { n: 3 }], [id(1), "page_view", { n: 1 }]]);
      await db.transaction().execute((trx) => deleteQueued(trx, taken.map((q) => q.seq)));
      expect(await countQueuedEvents(db, [id(1), id(2), id(3)])).toBe(1);
    } finally {
      await close();
    }
  });

  it("leases: the first consumer takes every partition, a second gets half at the next heartbeats, a stopped one gives its back", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      expect(await rebalanceLeases(db, "a", 5000)).toHaveLength(PARTITIONS);
      expect(await rebalanceLeases(db, "b", 5000)).toEqual([]); // none free yet
      expect(await rebalanceLeases(db, "a", 5000)).toHaveLength(PARTITIONS / 2); // a sees b and gives back the rest
      const b = await rebalanceLeases(db, "b", 5000);
      expect(b).toHaveLength(PARTITIONS / 2);
      const leases = await liveLeases(db);
      expect(new Set([...leases.get("a")!, ...leases.get("b")!]).size).toBe(PARTITIONS);
      await releaseLeases(db, "a");
      expect(await rebalanceLeases(db, "b", 5000)).toHaveLength(PARTITIONS);
    } finally {
      await close();
    }
  });
});
