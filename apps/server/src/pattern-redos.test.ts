import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";

// On a backtracking engine each extra `a` doubles the time `(a+)+$` takes to fail on a trailing `!`.
const REDOS = "(a+)+$";

const commentFlow = (id: string, pattern: string) => ({
  id,
  name: "Comments",
  reentry: "always",
  nodes: [
    { id: "t", type: "trigger.event", config: { eventType: "comment", where: [{ field: "event.properties.text", op: "matches", value: pattern }] } },
    { id: "p", type: "score.add", config: { points: 5 } },
  ],
  edges: [{ from: "t", to: "p" }],
});

describe.each(testDatabaseKinds)("user patterns run in linear time through the server on %s", (kind) => {
  // PGlite runs its queries on this process's event loop too: storing a 30 KB event there can
  // hold the loop for a few hundred ms on a busy machine, whatever the pattern. The 100 ms bound
  // is therefore checked where only our code runs on the loop; for PGlite the bound is 1 s, still
  // far below what a backtracking engine takes (26 a's and a ! already block for over a second).
  const healthBoundMs = kind === "postgres" ? 100 : 1_000;
  // the machine is shared: a probe can lose 100 ms to another process, so a miss is tried again (a
  // backtracking engine would miss every time, by seconds)
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(kind);
    await fetch(`${s.url}/healthz`); // the first request pays for warming up, not the probes below
  });
  afterAll(() => s?.close());

  /**
   * Sends `request` and, until it has answered, keeps asking /healthz (at least once, at most
   * 200 times); returns the request's answer and the slowest health answer in ms.
   */
  async function probeDuring<T>(request: Promise<T>): Promise<{ answer: T; slowestHealthMs: number }> {
    let answered = false;
    const pending = request.finally(() => (answered = true));
    let slowest = 0;
    for (let probe = 0; probe < 200 && (probe === 0 || !answered); probe++) {
      const started = performance.now();
      const health = await fetch(`${s.url}/healthz`);
      expect(health.status).toBe(200);
      slowest = Math.max(slowest, performance.now() - started);
    }
    return { answer: await pending, slowestHealthMs: slowest };
  }

  const lead = async (email: string) => (await s.api("GET", `/api/v1/leads/${email}`)).body;

  it("evaluates a published (a+)+$ on a 30,000-character event property while /healthz answers within the bound", { retry: 2 }, async () => {
    expect((await s.api("PUT", "/api/v1/flows/comments", commentFlow("comments", REDOS))).status).toBe(200);
    expect((await s.api("POST", "/api/v1/flows/comments/publish")).status).toBe(200);

    // PGlite runs in this process: the first ingest of its kind (query plans, caches) is what a
    // benign comment pays for here, so the probes below time the pattern, not the warm-up
    const benign = { email: "warm@redos.test", type: "comment", properties: { text: "b".repeat(30_000) } };
    expect((await s.api("POST", "/api/v1/events?wait=true", { events: [benign] })).status).toBe(200);

    const hostile = { email: "visitor@redos.test", type: "comment", properties: { text: "a".repeat(30_000) + "!" } };
    const { answer, slowestHealthMs } = await probeDuring(s.api("POST", "/api/v1/events?wait=true", { events: [hostile] }));
    expect(answer.status).toBe(200);
    expect(slowestHealthMs).toBeLessThan(healthBoundMs);
    expect((await lead("visitor@redos.test")).scores.total).toBe(0);

    const matching = { email: "visitor@redos.test", type: "comment", properties: { text: "a".repeat(30_000) } };
    expect((await s.api("POST", "/api/v1/events?wait=true", { events: [matching] })).status).toBe(200);
    expect((await lead("visitor@redos.test")).scores.total).toBe(5);
  });

  it("evaluates a fit rule (a+)+$ on a long lead property while /healthz answers within the bound", { retry: 2 }, async () => {
    const model = { fitRules: [{ field: "bio", op: "matches", value: REDOS, points: 10 }] };
    expect((await s.api("PUT", "/api/v1/scoring-model", model)).status).toBe(200);

    expect((await s.api("PUT", "/api/v1/leads", { email: "warm-bio@redos.test", properties: { bio: "b".repeat(2000) } })).status).toBe(201);

    const hostile = { email: "bio@redos.test", properties: { bio: "a".repeat(1999) + "!" } };
    const { answer, slowestHealthMs } = await probeDuring(s.api("PUT", "/api/v1/leads", hostile));
    expect(answer.status).toBeLessThan(300);
    expect(slowestHealthMs).toBeLessThan(healthBoundMs);
    expect((await lead("bio@redos.test")).scores.fit).toBe(0);

    expect((await s.api("PUT", "/api/v1/leads", { email: "bio@redos.test", properties: { bio: "a".repeat(2000) } })).status).toBe(200);
    expect((await lead("bio@redos.test")).scores.fit).toBe(10);
  });

  it("refuses at publish and at save a pattern RE2 cannot run, naming the construct", async () => {
    expect((await s.api("PUT", "/api/v1/flows/lookahead", commentFlow("lookahead", "^(?=.*pro)"))).status).toBe(200);
    const publish = await s.api("POST", "/api/v1/flows/lookahead/publish");
    expect(publish.status).toBe(422);
    expect(publish.body.error.issues).toEqual([expect.objectContaining({ nodeId: "t", message: expect.stringContaining("Lookahead (?=…) is not supported in patterns.") })]);

    const model = await s.api("PUT", "/api/v1/scoring-model", { fitRules: [{ field: "bio", op: "matches", value: "(a)\\1", points: 1 }] });
    expect(model.status).toBe(400);
    expect(model.body.error.message).toContain("Back-references such as \\1 are not supported in patterns.");
    expect((await s.api("GET", "/api/v1/scoring-model")).body.fitRules).toEqual([expect.objectContaining({ value: REDOS })]);
  });
});
