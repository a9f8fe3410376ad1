import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "@leadflow/db";
import { receiveEvents, scoreQueuedFor, ScoringConsumer } from "@leadflow/runtime";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";
import { publishCounter, until } from "./testing/consumer-fixture.js";

/** POST /api/v1/events answers once stored; the consumer (or ?wait=true) scores; the lead view says what is pending. */
describe.each(testDatabaseKinds)("intake acknowledged at the append on %s", (kind) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(kind);
    await publishCounter(s.ctx.deps.db);
  });
  afterAll(() => s?.close());

  const lead = async (email: string) => (await s.api("GET", `/api/v1/leads/${encodeURIComponent(email)}`)).body as { scores: { engagement: number }; pendingEvents: number; ledger: { eventId: string }[] };

  it("without wait: stored and pending; a consumer in the process scores it; with wait: scored when it answers", async () => {
    const r = await s.api("POST", "/api/v1/events", { events: [{ email: "p@q.test", type: "page_view" }, { id: "p-2", email: "p@q.test", type: "page_view" }] });
    expect(r).toEqual({ status: 200, body: { accepted: 2, duplicates: 0, errors: [] } });
    expect(await lead("p@q.test")).toMatchObject({ pendingEvents: 2, scores: { engagement: 0 } });
    // a repeat of an idempotency key is a duplicate while pending too
    expect((await s.api("POST", "/api/v1/events", { events: [{ id: "p-2", email: "p@q.test", type: "page_view" }] })).body).toMatchObject({ accepted: 0, duplicates: 1 });

    const consumer = new ScoringConsumer(s.ctx.deps, { owner: `test-${kind}`, heartbeatMs: 100, pollMs: 100 });
    await consumer.start();
    try {
      await until(async () => (await lead("p@q.test")).pendingEvents === 0, 20_000, "the consumer to score");
      expect((await lead("p@q.test")).scores.engagement).toBe(2);
      // woken by the append, not only by polling: scored again, once
      await s.api("POST", "/api/v1/events", { events: [{ email: "p@q.test", type: "page_view" }] });
      await until(async () => (await lead("p@q.test")).pendingEvents === 0, 20_000, "the consumer to score the next");
    } finally {
      await consumer.stop();
    }
    expect((await lead("p@q.test")).scores.engagement).toBe(3);
    const waited = await s.api("POST", "/api/v1/events?wait=true", { events: [{ email: "p@q.test", type: "page_view" }] });
    expect(waited).toEqual({ status: 200, body: { accepted: 1, duplicates: 0, errors: [] } });
    expect(await lead("p@q.test")).toMatchObject({ pendingEvents: 0, scores: { engagement: 4 } });
  });

  it("an anonymous visitor's events wait unqueued until a form fill identifies it, then score first, in order", async () => {
    const anon = [1, 2].map((n) => ({ id: `anon-${n}`, anonymousId: "v-77", type: "page_view", occurredAt: `2026-11-0${n}T08:00:00Z` }));
    expect((await s.api("POST", "/api/v1/events", { events: anon })).body).toMatchObject({ accepted: 2 });
    const queued = await sql<{ n: number }>`SELECT count(*)::int AS n FROM event_queue q JOIN events e ON e.id = q.event_id WHERE e.anonymous_id = 'v-77'`.execute(s.ctx.deps.db);
    expect(Number(queued.rows[0]!.n)).toBe(0);
    const form = { id: "form-77", email: "v77@q.test", anonymousId: "v-77", type: "page_view" };
    expect((await s.api("POST", "/api/v1/events?wait=true", { events: [form] })).status).toBe(200);
    const view = await lead("v77@q.test");
    expect(view.pendingEvents).toBe(0);
    const ids = await sql<{ id: string; idempotency_key: string }>`SELECT id, idempotency_key FROM events WHERE idempotency_key LIKE ${"%77"} OR idempotency_key LIKE 'anon-%'`.execute(s.ctx.deps.db);
    const keyOf = new Map(ids.rows.map((r) => [r.id, r.idempotency_key]));
    expect(view.ledger.map((l) => keyOf.get(l.eventId))).toEqual(["anon-1", "anon-2", "form-77"]);
  });

  it.runIf(kind === "postgres")("?wait=true past its limit answers 202 with what is pending; the events are scored afterwards", async () => {
    await s.api("POST", "/api/v1/events?wait=true", { events: [{ email: "slow@q.test", type: "page_view" }] });
    const deps = s.ctx.deps;
    let answer: Awaited<ReturnType<typeof receiveEvents>> | undefined;
    // another transaction holds the lead: scoring waits for it, the answer does not
    await deps.db.transaction().execute(async (trx) => {
      await sql`SELECT id FROM leads WHERE email_lower = 'slow@q.test' FOR UPDATE`.execute(trx);
      answer = await receiveEvents(deps, [{ email: "slow@q.test", type: "page_view" }], true, 200);
    });
    expect(answer).toEqual({ status: 202, body: { accepted: 1, duplicates: 0, errors: [], pending: 1 } });
    await until(async () => (await lead("slow@q.test")).pendingEvents === 0, 20_000, "the held-up scoring to finish");
    expect((await lead("slow@q.test")).scores.engagement).toBe(2);
    expect(await scoreQueuedFor(deps, [])).toBe(0);
  });
});
