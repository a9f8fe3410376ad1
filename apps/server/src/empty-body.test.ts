import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";
import { handoffFlow, warmIntro } from "./testing/scenario.js";

/**
 * curl with `-H "content-type: application/json"` on every call, and many SDKs, send that
 * header with an empty body on routes that take none: such a request means "no body".
 */
describe.each(testDatabaseKinds)("an empty JSON body (%s)", (kind) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(kind);
  });
  afterAll(() => s?.close());

  /** `body: ""` makes fetch send `content-length: 0`, so the server does read (an empty) body */
  const empty = async (method: string, path: string) => {
    const r = await fetch(s.url + path, { method, headers: { "content-type": "application/json", authorization: `Bearer ${s.key}` }, body: "" });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined };
  };

  it("is no body on the routes that take none: publish, retry, rotate, revoke", async () => {
    expect((await s.api("PUT", "/api/v1/templates/warm-intro", warmIntro)).status).toBe(200);
    expect((await s.api("PUT", "/api/v1/flows/hand-off", handoffFlow)).status).toBe(200);
    const published = await empty("POST", "/api/v1/flows/hand-off/publish");
    expect(published).toMatchObject({ status: 200, body: { id: "hand-off", version: 1 } });

    expect((await empty("POST", "/api/v1/webhook-secret/rotate")).status).toBe(200);
    // no such job: the answer is about the job, not about the body
    expect((await empty("POST", "/api/v1/outbox/00000000-0000-4000-8000-000000000000/retry")).status).toBe(404);

    const key = await s.api("POST", "/api/v1/site-keys", { name: "Shop" });
    expect((await empty("DELETE", `/api/v1/site-keys/${key.body.id}`)).status).toBe(204);
  });

  it("still answers a clear 400 on the routes that need a body: the same as for no body at all", async () => {
    for (const [method, path] of [
      ["PUT", "/api/v1/reps"],
      ["POST", "/api/v1/events"],
      ["PUT", "/api/v1/flows/hand-off"],
    ] as const) {
      const r = await empty(method, path);
      expect(r.status, path).toBe(400);
      expect(r.body.error.code, path).toBe("invalid_input");
      expect(r.body.error.message, path).toMatch(/^invalid .*expected/);
      expect(r.body, path).toEqual((await s.api(method, path)).body);
    }
  });
});
