import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, sql, type Database } from "@leadflow/db";
import { createTestDatabase, testDatabaseKinds } from "@leadflow/db/testing";
import {
  FlowCache,
  fireInactivity,
  fireSegments,
  ingestEvents,
  publishFlow,
  saveFlowDraft,
  saveTemplate,
  tick,
  type RuntimeDeps,
} from "@leadflow/runtime";
import { TestClock } from "./testing/harness.js";

const MINUTE = 60_000;
const DAY = 86_400_000;

function depsFor(db: Database["db"], clock: TestClock): RuntimeDeps {
  return { db, clock, config: { publicUrl: "http://leadflow.test", mailFrom: "Leadflow <hello@leadflow.test>" }, newId: randomUUID, flows: new FlowCache() };
}

async function publish(db: Database["db"], doc: { id: string } & Record<string, unknown>) {
  await saveFlowDraft(db, doc.id, doc);
  return publishFlow(db, doc.id);
}

const nurture = (templateId: string) => ({
  id: "nurture",
  name: "Nurture",
  nodes: [
    { id: "t", type: "trigger.event", config: { eventType: "signup" } },
    { id: "w", type: "wait", config: { days: 2 } },
    { id: "m", type: "email.send", config: { templateId } },
  ],
  edges: [
    { from: "t", to: "w" },
    { from: "w", to: "m" },
  ],
});

describe.each(testDatabaseKinds)("a paused wait survives a restart on %s", (kind) => {
  let dataDir: string | undefined;
  let test: (Database & { url?: string }) | undefined;
  const open = () => (kind === "pglite" ? openDatabase({ kind, dataDir: dataDir! }) : openDatabase({ kind, url: test!.url!, poolSize: 3 }));
  beforeAll(async () => {
    if (kind === "pglite") dataDir = mkdtempSync(join(tmpdir(), "leadflow-restart-"));
    else test = await createTestDatabase("postgres");
  });
  afterAll(async () => {
    await test?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("resumes on the version the run started on, once", async () => {
    const clock = new TestClock(new Date("2026-11-02T09:00:00Z"));
    const first = await open();
    const deps = depsFor(first.db, clock);
    await saveTemplate(first.db, "v1-mail", { subject: "version one", html: "<p>1</p>" });
    await saveTemplate(first.db, "v2-mail", { subject: "version two", html: "<p>2</p>" });
    await publish(first.db, nurture("v1-mail"));
    expect((await ingestEvents(deps, [{ email: "kim@example.com", type: "signup" }])).accepted).toBe(1);
    // a new version while the run waits: the run keeps version 1
    expect(await publish(first.db, nurture("v2-mail"))).toEqual({ id: "nurture", version: 2 });
    const early = await tick(deps, new Date(clock.now().getTime() + DAY));
    expect(early.timers.fired).toBe(0);
    await first.close();

    const second = await open();
    const later = new Date(clock.now().getTime() + 2 * DAY);
    const restarted = depsFor(second.db, clock);
    const r = await tick(restarted, later);
    expect(r.timers).toEqual({ fired: 1, dropped: 0 });
    expect(r.outbox.sent).toBe(1);
    expect((await tick(restarted, later)).timers.fired).toBe(0);
    const mail = await second.db.selectFrom("mailbox").select(["to_address", "subject"]).execute();
    expect(mail).toEqual([{ to_address: "kim@example.com", subject: "version one" }]);
    const run = await second.db.selectFrom("flow_runs").select(["path", "status", "flow_version"]).executeTakeFirstOrThrow();
    expect(run).toEqual({ path: ["t", "w", "m"], status: "completed", flow_version: 1 });
    await second.close();
  });
});

describe.each(testDatabaseKinds)("trigger.inactive and trigger.segment on %s", (kind) => {
  let database: Database;
  let deps: RuntimeDeps;
  const clock = new TestClock(new Date("2026-11-02T09:00:00Z"));
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    deps = depsFor(database.db, clock);
    await saveTemplate(database.db, "miss-you", { subject: "miss you", html: "<p>hi</p>" });
  });
  afterAll(() => database?.close());
  const runsOf = (flowId: string) =>
    database.db.selectFrom("flow_runs").innerJoin("leads", "leads.id", "flow_runs.lead_id").select(["leads.email", "flow_runs.started_at"]).where("flow_id", "=", flowId).orderBy("flow_runs.started_at").execute();

  it("inactive fires once per quiet spell, again after new activity and a new spell", async () => {
    await publish(database.db, {
      id: "quiet",
      name: "Quiet",
      nodes: [
        { id: "t", type: "trigger.inactive", config: { days: 14 } },
        { id: "m", type: "email.send", config: { templateId: "miss-you" } },
      ],
      edges: [{ from: "t", to: "m" }],
    });
    await ingestEvents(deps, [
      { email: "a@example.com", type: "page_view" },
      { email: "b@example.com", type: "page_view" },
    ]);
    const t0 = clock.now().getTime();
    clock.set(new Date(t0 + 10 * DAY).toISOString());
    await ingestEvents(deps, [{ email: "b@example.com", type: "page_view" }]);
    for (let day = 1; day <= 30; day++) await fireInactivity(deps, new Date(t0 + day * DAY), { chunk: 1 });
    expect((await runsOf("quiet")).map((r) => [r.email, Math.round((new Date(r.started_at).getTime() - t0) / DAY)])).toEqual([
      ["a@example.com", 14],
      ["b@example.com", 24],
    ]);
    clock.set(new Date(t0 + 31 * DAY).toISOString());
    await ingestEvents(deps, [{ email: "a@example.com", type: "page_view" }]);
    for (let day = 32; day <= 50; day++) await fireInactivity(deps, new Date(t0 + day * DAY));
    expect((await runsOf("quiet")).map((r) => r.email)).toEqual(["a@example.com", "b@example.com", "a@example.com"]);
  });

  it("segment starts a run for each matching lead at each cron occurrence", async () => {
    await sql`UPDATE leads SET properties = '{"plan":"pro"}' WHERE email_lower = 'a@example.com'`.execute(database.db);
    await publish(database.db, {
      id: "pros",
      name: "Pros",
      nodes: [
        { id: "t", type: "trigger.segment", config: { cron: "0 9 * * 1", where: [{ field: "lead.plan", op: "eq", value: "pro" }] } },
        { id: "m", type: "email.send", config: { templateId: "miss-you" } },
      ],
      edges: [{ from: "t", to: "m" }],
    });
    const monday = new Date("2027-01-04T09:00:00Z").getTime();
    // first sight: waits for the next occurrence
    await fireSegments(deps, new Date(monday + 1 * MINUTE));
    expect(await runsOf("pros")).toEqual([]);
    await fireSegments(deps, new Date(monday + 3 * DAY));
    expect(await runsOf("pros")).toEqual([]);
    for (const at of [monday + 7 * DAY, monday + 7 * DAY + MINUTE, monday + 14 * DAY + 30 * MINUTE]) {
      await fireSegments(deps, new Date(at), { chunk: 1 });
    }
    expect((await runsOf("pros")).map((r) => [r.email, new Date(r.started_at).toISOString()])).toEqual([
      ["a@example.com", "2027-01-11T09:00:00.000Z"],
      ["a@example.com", "2027-01-18T09:30:00.000Z"],
    ]);
  });
});

describe("three scheduler processes on one PostgreSQL", () => {
  let database: Database & { url?: string };
  beforeAll(async () => {
    database = await createTestDatabase("postgres");
  });
  afterAll(() => database?.close());

  it("fire 10,000 due timers, each exactly once", async () => {
    const clock = new TestClock(new Date("2026-11-02T09:00:00Z"));
    const deps = depsFor(database.db, clock);
    await publish(database.db, {
      id: "tick-tock",
      name: "Tick tock",
      nodes: [
        { id: "t", type: "trigger.event", config: { eventType: "signup" } },
        { id: "w", type: "wait", config: { minutes: 5 } },
        { id: "p", type: "score.add", config: { points: 1 } },
      ],
      edges: [
        { from: "t", to: "w" },
        { from: "w", to: "p" },
      ],
    });
    for (let b = 0; b < 10; b++) {
      const events = Array.from({ length: 1000 }, (_, i) => ({ email: `u${b * 1000 + i}@example.com`, type: "signup" }));
      expect((await ingestEvents(deps, events)).accepted).toBe(1000);
    }
    const due = new Date(clock.now().getTime() + 10 * MINUTE);
    const processes = await Promise.all([0, 1, 2].map(() => openDatabase({ kind: "postgres", url: database.url!, poolSize: 2 })));
    try {
      const fired = await Promise.all(
        processes.map(async (p) => {
          const own = depsFor(p.db, clock);
          let total = 0;
          for (let idle = 0; idle < 2; ) {
            const r = await tick(own, due, { maxBatches: 2 });
            total += r.timers.fired;
            idle = r.timers.fired === 0 ? idle + 1 : 0;
          }
          return total;
        }),
      );
      expect(fired.reduce((a, b) => a + b, 0)).toBe(10_000);
      expect(fired.filter((n) => n > 0).length).toBeGreaterThan(1);
    } finally {
      await Promise.all(processes.map((p) => p.close()));
    }
    const { rows } = await sql<{ entries: number; leads: number; pending: number; paths: number }>`
      SELECT (SELECT count(*)::int FROM score_ledger WHERE reason = 'flow') AS entries,
             (SELECT count(DISTINCT lead_id)::int FROM score_ledger) AS leads,
             (SELECT count(*)::int FROM timers WHERE status <> 'done') AS pending,
             (SELECT count(*)::int FROM flow_runs WHERE path = '["t","w","p"]'::jsonb) AS paths`.execute(database.db);
    expect(rows[0]).toEqual({ entries: 10_000, leads: 10_000, pending: 0, paths: 10_000 });
  }, 300_000);
});
