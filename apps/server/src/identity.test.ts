import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";
import { setUpHandOff } from "./testing/scenario.js";

const pricing = (anonymousId: string, id: string, occurredAt: string) => ({
  id, anonymousId, type: "page_view", properties: { url: "https://example.com/pricing" }, occurredAt,
});
const ledgerOf = (lead: { ledger: { delta: number; at: string; eventId: string | null }[] }) =>
  lead.ledger.map((l) => ({ delta: l.delta, at: l.at })).sort((a, b) => a.at.localeCompare(b.at));

describe.each(testDatabaseKinds)("identity on %s", (kind) => {
  let s: TestServer;
  const send = async (...events: unknown[]) => {
    const r = await s.api("POST", "/api/v1/events?wait=true", { events });
    expect(r.status).toBe(200);
    expect(r.body.errors).toEqual([]);
    return r.body as { accepted: number; duplicates: number };
  };
  const lead = async (email: string) => (await s.api("GET", `/api/v1/leads/${email}`)).body;

  beforeAll(async () => {
    s = await startTestServer(kind);
    await setUpHandOff(s); // pricing page view +10, demo_request +30
  });
  afterAll(() => s?.close());

  it("scores every earlier anonymous view at its own time when the visitor is identified, without rewriting events", async () => {
    await send(pricing("anon-a", "a1", "2026-10-20T10:00:00.000Z"), pricing("anon-a", "a2", "2026-10-25T11:00:00.000Z"));
    await send({ anonymousId: "anon-a", email: "ann@example.com", type: "form_submit", properties: { firstName: "Ann" } });
    const ann = await lead("ann@example.com");
    expect(ledgerOf(ann)).toEqual([
      { delta: 10, at: "2026-10-20T10:00:00.000Z" },
      { delta: 10, at: "2026-10-25T11:00:00.000Z" },
    ]);
    expect(ann.properties.firstName).toBe("Ann");
    // append-only: the anonymous rows keep their NULL lead; the mapping is its own table
    const rows = await s.ctx.deps.db.selectFrom("events").select(["lead_id"]).where("idempotency_key", "in", ["a1", "a2"]).execute();
    expect(rows.map((r) => r.lead_id)).toEqual([null, null]);
    const mapped = await s.ctx.deps.db.selectFrom("identities").select(["lead_id"]).where("anonymous_id", "=", "anon-a").execute();
    expect(mapped).toEqual([{ lead_id: ann.id }]);
    // the lead page's timeline shows the merged views
    const { leadActivity } = await import("@leadflow/runtime");
    const activity = await leadActivity(s.ctx.deps.db, ann.id);
    expect(activity.events.map((e) => e.occurredAt)).toEqual(expect.arrayContaining(["2026-10-20T10:00:00.000Z", "2026-10-25T11:00:00.000Z"]));
  });

  it("identifying the same visitor again changes nothing, and its later anonymous views go to the lead directly", async () => {
    await send({ anonymousId: "anon-a", email: "ann@example.com", type: "form_submit", properties: {} });
    await send({ anonymousId: "anon-a", email: "ann@example.com", type: "identify", properties: {} });
    expect(ledgerOf(await lead("ann@example.com"))).toHaveLength(2);

    await send(pricing("anon-a", "a3", "2026-11-01T08:00:00.000Z"));
    const ann = await lead("ann@example.com");
    expect(ledgerOf(ann).at(-1)).toEqual({ delta: 10, at: "2026-11-01T08:00:00.000Z" });
    expect(ann.scores.engagement).toBe(30);
  });

  it("two anonymous ids (two devices) of one e-mail end as one lead with both histories", async () => {
    await send(pricing("phone", "p1", "2026-10-28T07:00:00.000Z"), pricing("laptop", "l1", "2026-10-29T09:00:00.000Z"));
    // one batch: both devices identified, and a later phone view in the same batch goes to the lead
    await send(
      { anonymousId: "phone", email: "Bob@Example.com", type: "form_submit" },
      { anonymousId: "laptop", email: "bob@example.com", type: "form_submit" },
      pricing("phone", "p2", "2026-10-30T07:00:00.000Z"),
    );
    const bob = await lead("bob@example.com");
    expect(ledgerOf(bob).map((l) => l.at)).toEqual(["2026-10-28T07:00:00.000Z", "2026-10-29T09:00:00.000Z", "2026-10-30T07:00:00.000Z"]);
    const rows = await s.ctx.deps.db.selectFrom("identities").select(["anonymous_id", "lead_id"]).where("lead_id", "=", bob.id).orderBy("anonymous_id").execute();
    expect(rows.map((r) => r.anonymous_id)).toEqual(["laptop", "phone"]);
    const leads = await s.ctx.deps.db.selectFrom("leads").select("id").where("email_lower", "=", "bob@example.com").execute();
    expect(leads).toHaveLength(1);
  });

  it("an anonymous id already identified as one lead stays with it when another e-mail comes with it", async () => {
    await send({ anonymousId: "anon-a", email: "other@example.com", type: "form_submit" });
    await send(pricing("anon-a", "a4", "2026-11-01T09:00:00.000Z"));
    expect((await lead("ann@example.com")).scores.engagement).toBe(40);
    expect((await lead("other@example.com")).scores.engagement).toBe(0);
  });

  it("a visitor's anonymous views sent while it is being identified are all scored, none lost between mapping and merge", async () => {
    const views = Array.from({ length: 16 }, (_, i) => pricing("race", `r${i}`, `2026-10-${String(10 + i).padStart(2, "0")}T10:00:00.000Z`));
    await Promise.all([
      ...views.slice(0, 8).map((v) => send(v)),
      send({ anonymousId: "race", email: "race@example.com", type: "form_submit" }),
      ...views.slice(8).map((v) => send(v)),
    ]);
    expect((await lead("race@example.com")).ledger).toHaveLength(16);
  });

  it("an alias (previousId → userId) merges the anonymous history into the userId's lead", async () => {
    await send({ userId: "u-42", email: "cat@example.com", type: "identify", properties: { firstName: "Cat" } });
    await send(pricing("cookie-9", "c1", "2026-10-31T12:00:00.000Z"));
    expect((await lead("cat@example.com")).scores.engagement).toBe(0);
    await send({ anonymousId: "cookie-9", userId: "u-42", type: "alias" });
    const cat = await lead("cat@example.com");
    expect(ledgerOf(cat)).toEqual([{ delta: 10, at: "2026-10-31T12:00:00.000Z" }]);
    expect(cat.properties.firstName).toBe("Cat");
    // traits a userId sent before its e-mail was known become the lead's when it is
    await send({ userId: "u-77", type: "identify", properties: { firstName: "Dan", jobTitle: "CTO" } });
    await send({ userId: "u-77", email: "dan@example.com", type: "identify", properties: { jobTitle: "CEO" } });
    expect((await lead("dan@example.com")).properties).toMatchObject({ firstName: "Dan", jobTitle: "CEO" });
    // an event naming only the userId is the lead's too
    await send({ id: "c2", userId: "u-42", type: "demo_request", occurredAt: "2026-11-01T12:00:00.000Z" });
    expect((await lead("cat@example.com")).scores.engagement).toBe(40);
  });
});
