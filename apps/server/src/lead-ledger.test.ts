import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tick } from "@leadflow/runtime";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";
import { demoRequest, pricingView, setUpHandOff } from "./testing/scenario.js";

/** More ledger rows than the lead view shows (1,000): a long-lived lead's history. */
const OLD_ROWS = 1200;
const EMAIL = "long@example.hu";

interface LedgerEntry {
  delta: number;
  nodeId: string | null;
  at: string;
}

describe.each(testDatabaseKinds)("a long-lived lead's ledger on %s", (kind) => {
  let s: TestServer;
  let leadId: string;
  beforeAll(async () => {
    s = await startTestServer(kind);
    await setUpHandOff(s);
    leadId = (await s.api("PUT", "/api/v1/leads", { email: EMAIL, properties: { firstName: "Lena", country: "HU" } })).body.id;
    // a year of old one-point entries, one per hour before the clock (nodes old-0 … old-1199, oldest first)
    const start = s.clock.now().getTime() - (OLD_ROWS + 1) * 3_600_000;
    const rows = Array.from({ length: OLD_ROWS }, (_, n) => {
      const at = new Date(start + n * 3_600_000).toISOString();
      return { lead_id: leadId, delta: 1, flow_id: "archive", node_id: `old-${n}`, reason: "flow", at, processed_at: at };
    });
    await s.ctx.deps.db.insertInto("score_ledger").values(rows).execute();
    // demo + 2 pricing views reach 50: the hand-off e-mails the lead and notifies its owner rep
    const r = await s.api("POST", "/api/v1/events?wait=true", { events: [demoRequest(EMAIL), pricingView(EMAIL), pricingView(EMAIL)] });
    expect(r.body.accepted).toBe(3);
    await tick(s.ctx.deps, s.clock.now());
  });
  afterAll(() => s?.close());

  it("GET /api/v1/leads/{id} shows the newest 1,000 entries, oldest of them first, ending with the latest points", async () => {
    const { status, body } = await s.api("GET", `/api/v1/leads/${leadId}`);
    expect(status).toBe(200);
    const ledger = body.ledger as LedgerEntry[];
    expect(ledger).toHaveLength(1000);
    expect(ledger.slice(-3).map((l) => [l.delta, l.nodeId])).toEqual([[30, "p-demo"], [10, "p-pricing"], [10, "p-pricing"]]);
    // the 203 oldest rows are the ones left out
    expect(ledger[0]!.nodeId).toBe(`old-${OLD_ROWS + 3 - 1000}`);
    const times = ledger.map((l) => l.at);
    expect(times).toEqual([...times].sort());
  });

  it("the rep's e-mail lists the latest points, not the oldest", async () => {
    const mails = await s.ctx.deps.db.selectFrom("mailbox").select(["to_address", "text"]).where("to_address", "=", "rita@sales.test").execute();
    expect(mails).toHaveLength(1);
    const text = mails[0]!.text;
    expect(text).toContain("node p-demo");
    expect(text).toContain(`node old-${OLD_ROWS - 1}`);
    expect(text).not.toContain("node old-0,");
    expect(text).not.toMatch(/node old-0\b/);
  });
});
