import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { sql } from "kysely";
import { tick } from "@leadflow/runtime";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";
import {
  FRESH_EMAIL,
  hostileEvent,
  hostileJson,
  hostileLead,
  hostileString,
  hostileTemplate,
  pathSegment,
} from "./testing/hostile.js";
import { hostileFlow, hostileModel } from "./testing/hostile-rules.js";
import { watchedFetch } from "./testing/watched.js";

/**
 * Property-based tests of the REST endpoints that take documents (issue 8, finding 5): whatever
 * is sent, the answer is 2xx or 4xx, never 5xx; a health check sent meanwhile answers; and a
 * refused request changes no row. Each counterexample fast-check finds gets a named regression
 * test in bad-input.test.ts.
 */
describe.each(testDatabaseKinds)("hostile input on %s", (kind) => {
  let s: TestServer;
  let fresh = 0;
  beforeAll(async () => {
    s = await startTestServer(kind);
    expect((await s.api("PUT", "/api/v1/templates/fz-t1", { subject: "Hi {{lead.firstName}}", html: "<p>Hi</p>" })).status).toBe(200);
    const reps = { reps: [{ id: "r1", name: "Rita", email: "rita@example.com", territories: ["HU"] }, { id: "r2", name: "Sam", email: "sam@example.com", capacity: 3 }] };
    expect((await s.api("PUT", "/api/v1/reps", reps)).status).toBe(200);
  });
  afterAll(() => s?.close());

  /** What a refused request must leave alone: row counts of append-only tables, digests of the others. */
  const fingerprint = async () =>
    (
      await sql<Record<string, string | number>>`
        SELECT
          (SELECT count(*) FROM events)::int AS events,
          (SELECT count(*) FROM score_ledger)::int AS ledger,
          (SELECT count(*) FROM outbox_jobs)::int AS outbox,
          (SELECT count(*) FROM flow_versions)::int AS versions,
          (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM leads x) AS leads,
          (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM flows x) AS flows,
          (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM templates x) AS templates,
          (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.key), '')) FROM settings x) AS settings,
          (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM sales_reps x) AS reps`.execute(s.ctx.deps.db)
    ).rows[0]!;

  const leadExists = async (email: string) =>
    (await s.ctx.deps.db.selectFrom("leads").select("id").where("email_lower", "=", email.toLowerCase()).executeTakeFirst()) !== undefined;

  /** Sends a JSON body with the API key (a health check goes out meanwhile); never 5xx, and a 4xx says why. */
  async function send(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const { status, text } = await watchedFetch(s.url, path, {
      method,
      headers: { authorization: `Bearer ${s.key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const parsed = text ? JSON.parse(text) : undefined;
    expect(status, `${method} ${path.slice(0, 80)} → ${text.slice(0, 300)}`).toBeLessThan(500);
    if (status >= 400) expect(parsed?.error?.message, "a 4xx says why").toEqual(expect.any(String));
    return { status, body: parsed };
  }

  const freshEmail = () => `fz${++fresh}-${kind}@example.com`;

  /** A good event must still be taken after whatever was just saved (flows, the model run on every event). */
  async function goodEventAccepted(type = "page_view") {
    const email = freshEmail();
    const r = await send("POST", "/api/v1/events?wait=true", { events: [{ email, type, properties: { url: "/pricing", note: "ok" } }] });
    expect(r.body).toMatchObject({ accepted: 1, errors: [] });
    expect((await send("GET", `/api/v1/leads/${encodeURIComponent(email)}`)).status).toBe(200);
  }

  it("POST /api/v1/events: never 5xx; each event accepted, a duplicate or refused at its index; a refused one creates no lead", async () => {
    const body = fc.oneof(
      { weight: 8, arbitrary: fc.array(hostileEvent, { minLength: 1, maxLength: 6 }).map((events) => ({ events })) },
      { weight: 1, arbitrary: hostileJson },
    );
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        const events = (raw as { events?: unknown[] } | null)?.events;
        const emails = new Map<number, string>();
        if (Array.isArray(events)) {
          events.forEach((e, i) => {
            if (e && typeof e === "object" && (e as { email?: unknown }).email === FRESH_EMAIL) {
              const email = freshEmail();
              (e as { email: string }).email = email;
              emails.set(i, email);
            }
          });
        }
        const before = await fingerprint();
        const r = await send("POST", "/api/v1/events?wait=true", raw);
        if (r.status >= 400) {
          expect(await fingerprint()).toEqual(before);
          return;
        }
        const { accepted, duplicates, errors } = r.body as { accepted: number; duplicates: number; errors: { index: number; message: string }[] };
        expect(accepted + duplicates + errors.length).toBe(events!.length);
        for (const { index, message } of errors) {
          expect(message).toEqual(expect.any(String));
          const email = emails.get(index);
          if (email) expect(await leadExists(email), `refused event ${index} (${message}) created its lead`).toBe(false);
        }
        if (accepted === 0) expect((await fingerprint()).events).toBe(before.events);
      }),
      { numRuns: 250 },
    );
    await goodEventAccepted();
  });

  it("PUT /api/v1/leads: never 5xx; a refused lead changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(hostileLead, async (raw) => {
        let email: string | undefined;
        if (raw && typeof raw === "object" && (raw as { email?: unknown }).email === FRESH_EMAIL) (raw as { email: string }).email = email = freshEmail();
        const before = await fingerprint();
        const r = await send("PUT", "/api/v1/leads", raw);
        if (r.status >= 400) expect(await fingerprint()).toEqual(before);
        else if (email) expect(await leadExists(email)).toBe(true);
      }),
      { numRuns: 250 },
    );
  });

  it("PUT /api/v1/flows/{id} and publish: never 5xx; a refused one changes nothing; events still run on what was published", async () => {
    const id = fc.oneof({ weight: 8, arbitrary: fc.constantFrom("fz-1", "fz-2", "fz-3") }, { weight: 1, arbitrary: hostileString });
    await fc.assert(
      fc.asyncProperty(id.chain((i) => fc.tuple(fc.constant(i), hostileFlow(i))), async ([flowId, doc]) => {
        const path = `/api/v1/flows/${pathSegment(flowId)}`;
        const before = await fingerprint();
        const saved = await send("PUT", path, doc);
        if (saved.status >= 400) {
          expect(await fingerprint()).toEqual(before);
          return;
        }
        const draft = await fingerprint();
        const published = await send("POST", `${path}/publish`);
        if (published.status >= 400) {
          expect(await fingerprint()).toEqual(draft);
          return;
        }
        await goodEventAccepted("fz");
      }),
      { numRuns: 250 },
    );
  });

  it("PUT /api/v1/templates/{id}: never 5xx; a refused one changes nothing; a saved one can be test-sent or is refused with 4xx", async () => {
    const id = fc.oneof({ weight: 6, arbitrary: fc.constantFrom("fz-t1", "fz-t2") }, { weight: 1, arbitrary: hostileString });
    await fc.assert(
      fc.asyncProperty(id, hostileTemplate, async (templateId, raw) => {
        const path = `/api/v1/templates/${pathSegment(templateId)}`;
        const before = await fingerprint();
        const r = await send("PUT", path, raw);
        if (r.status >= 400) {
          expect(await fingerprint()).toEqual(before);
          return;
        }
        await send("POST", `${path}/test`, { to: "marketer@example.com" });
      }),
      { numRuns: 150 },
    );
  });

  it("PUT /api/v1/scoring-model: never 5xx; a refused model changes nothing; events are still scored under a saved one", async () => {
    await fc.assert(
      fc.asyncProperty(hostileModel, async (raw) => {
        const before = await fingerprint();
        const r = await send("PUT", "/api/v1/scoring-model", raw);
        if (r.status >= 400) {
          expect(await fingerprint()).toEqual(before);
          return;
        }
        await goodEventAccepted();
      }),
      { numRuns: 100 },
    );
  });

  it("the scheduler runs over whatever the fuzz stored, days and years ahead", async () => {
    for (const days of [1, 8, 400]) {
      await tick(s.ctx.deps, new Date(s.clock.now().getTime() + days * 86_400_000));
    }
    await goodEventAccepted("fz");
  });
});
