import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import type { DB } from "../tables.js";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import {
  claimOutboxJobs,
  deferOutboxJob,
  failOutboxJob,
  findCountedEmailTimes,
  findDeliveryLead,
  findOutboxJobOrigin,
  findOutboxJobStatus,
  findRepContact,
  listOutboxJobs,
  lockOutboxJob,
  markOutboxJobDone,
  reserveOutboxJob,
  reviveDeadOutboxJob,
} from "./outbox.repository.js";

const LEAD = "00000000-0000-4000-8000-00000000000a";
const RUN = "00000000-0000-4000-8000-000000000001";
const job = (n: number) => `10000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const T0 = new Date("2026-11-02T09:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

async function seed(db: Kysely<DB>) {
  await db.insertInto("sales_reps").values({ id: "rep1", name: "Rita One", email: "rita@sales.test", sort: 0 }).execute();
  await db
    .insertInto("leads")
    .values({
      id: LEAD, email: "Ada@Example.com", email_lower: "ada@example.com", tier: "Warm", owner_id: "rep1", stage: "mql",
      fit: 10.004, engagement: 40, total: 50.004, properties: JSON.stringify({ firstName: "Ada" }), categories: JSON.stringify({ product: 20.005 }),
    })
    .execute();
  const row = (n: number, type: string, due: Date) => ({
    id: job(n), lead_id: LEAD, run_id: RUN, flow_id: "f", node_id: `n${n}`, job_type: type, payload: JSON.stringify({ templateId: "t" }), next_attempt_at: due,
  });
  await db.insertInto("outbox_jobs").values([row(1, "email", at(0)), row(2, "email", at(1)), row(3, "webhook", at(60))]).execute();
  // three ledger rows: the newest two are the lead's latest points
  await db
    .insertInto("score_ledger")
    .values([1, 2, 3].map((n) => ({ lead_id: LEAD, delta: n, flow_id: "f", node_id: `p${n}`, reason: "flow", at: at(n), processed_at: at(n) })))
    .execute();
}

describe.each(testDatabaseKinds)("outbox repository on %s", (kind) => {
  let db: Kysely<DB>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await createTestDatabase(kind));
    await seed(db);
  });
  afterAll(() => close?.());

  it("claims due jobs for a lease, counting the attempt, and not again while the lease runs", async () => {
    const claimed = await claimOutboxJobs(db, at(5), at(10), 10);
    expect(claimed.map((j) => [j.id, j.status, j.attempts])).toEqual([[job(1), "sending", 1], [job(2), "sending", 1]]);
    expect(await claimOutboxJobs(db, at(6), at(11), 10)).toEqual([]);
    // the lease ran out (the process died): due again, a second attempt
    expect((await claimOutboxJobs(db, at(10), at(15), 1)).map((j) => [j.id, j.attempts])).toEqual([[job(1), 2]]);
    const trx = await db.transaction().execute((t) => lockOutboxJob(t, job(1)));
    expect(trx).toEqual({ status: "sending", attempts: 2 });
  });

  it("reserves, marks sent, counts sent and reserved e-mail for the cap, and defers without counting the attempt", async () => {
    await reserveOutboxJob(db, job(2), at(11), "<m2@x>");
    expect(await findCountedEmailTimes(db, LEAD, job(1), at(0))).toEqual([at(11)]);
    await markOutboxJobDone(db, job(2), "sent", at(12), "<m2@x>");
    expect(await findCountedEmailTimes(db, LEAD, job(1), at(0))).toEqual([at(12)]);
    expect(await findCountedEmailTimes(db, LEAD, job(1), at(12))).toEqual([]);
    expect(await findCountedEmailTimes(db, LEAD, job(2), at(0))).toEqual([]);
    await deferOutboxJob(db, job(1), at(100));
    const [deferred] = await listOutboxJobs(db, { id: job(1), limit: 1 });
    expect(deferred).toMatchObject({ status: "pending", attempts: 1, email: "Ada@Example.com" });
    expect(new Date(deferred!.next_attempt_at)).toEqual(at(100));
  });

  it("fails a job for a retry or for good, lists by status and revives only a dead job", async () => {
    await failOutboxJob(db, job(3), { dead: true, error: "x".repeat(3000), nextAttemptAt: at(60) });
    const dead = await listOutboxJobs(db, { status: "dead", limit: 10 });
    expect(dead.map((j) => [j.id, j.last_error?.length])).toEqual([[job(3), 2000]]);
    expect(await reviveDeadOutboxJob(db, job(2), at(61))).toBe(false); // sent, not dead
    expect(await reviveDeadOutboxJob(db, job(3), at(61))).toBe(true);
    expect(await findOutboxJobStatus(db, job(3))).toBe("pending");
    expect(await findOutboxJobStatus(db, job(9))).toBeUndefined();
    expect(await findOutboxJobOrigin(db, job(3))).toEqual({ lead_id: LEAD, flow_id: "f", node_id: "n3", payload: { templateId: "t" } });
  });

  it("reads the lead as delivery needs it, by id or address, with its latest points newest first", async () => {
    const lead = await findDeliveryLead(db, { id: LEAD }, 2);
    expect(lead).toMatchObject({
      id: LEAD, email: "Ada@Example.com", stage: "mql", status: "active", tier: "Warm", properties: { firstName: "Ada" },
      categories: { product: 20.005 }, owner_id: "rep1", owner_name: "Rita One", owner_email: "rita@sales.test",
    });
    expect(lead!.latestPoints.map((l) => [l.delta, l.node_id])).toEqual([[3, "p3"], [2, "p2"]]);
    expect((await findDeliveryLead(db, { emailLower: "ada@example.com" }, 0))?.latestPoints).toEqual([]);
    expect(await findDeliveryLead(db, { id: job(1) }, 0)).toBeUndefined();
    expect(await findDeliveryLead(db, { id: "not a uuid" }, 0)).toBeUndefined();
    expect(await findRepContact(db, "rep1")).toEqual({ name: "Rita One", email: "rita@sales.test" });
    expect(await findRepContact(db, "nobody")).toBeUndefined();
  });
});
