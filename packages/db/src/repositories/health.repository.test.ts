import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { migrationNames } from "../migrations.js";
import { appliedMigrationNames, outboxDepth, pingDatabase, scoringBacklog } from "./health.repository.js";

describe.each(testDatabaseKinds)("health queries on %s", (kind) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  }, 60_000);
  afterAll(() => database.close());

  it("pings, lists every migration as applied and counts an empty outbox as zeros", async () => {
    await pingDatabase(database.db);
    expect(await appliedMigrationNames(database.db)).toEqual([...migrationNames].sort());
    expect(await outboxDepth(database.db)).toEqual({ pending: 0, sending: 0, dead: 0 });
  });

  it("gives the scoring queue's length and the age of its oldest event", async () => {
    expect(await scoringBacklog(database.db)).toEqual({ events: 0, lagSeconds: 0 });
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const receivedAt of [hourAgo, new Date()]) {
      const id = randomUUID();
      await sql`INSERT INTO events (id, idempotency_key, type, occurred_at, received_at) VALUES (${id}, ${id}, 'page_view', ${receivedAt}, ${receivedAt})`.execute(database.db);
      await sql`INSERT INTO event_queue (event_id, lead_id, part) VALUES (${id}, ${randomUUID()}, 0)`.execute(database.db);
    }
    const backlog = await scoringBacklog(database.db);
    expect(backlog.events).toBe(2);
    expect(backlog.lagSeconds).toBeGreaterThan(3590);
    expect(backlog.lagSeconds).toBeLessThan(3700);
  });
});
