import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@leadflow/runtime";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";
import { handoffFlow, reps, warmIntro } from "./testing/scenario.js";

describe.each(testDatabaseKinds)("tRPC for the web app on %s", (kind) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(kind);
  });
  afterAll(() => s?.close());

  const call = (path: string, input: unknown, cookie?: string, method: "GET" | "POST" = "POST") => s.trpc(path, input, cookie, method);

  const signIn = async (email: string, password: string) => {
    const r = await call("auth.signIn", { email, password });
    expect(r.status).toBe(200);
    expect(r.setCookie).toMatch(/leadflow_session=[^;]+;.*HttpOnly/i);
    expect(r.setCookie).toMatch(/SameSite=Lax/i);
    return r.setCookie!.split(";")[0]!;
  };

  it("offers a one-time setup while no user exists, then only sign-in", async () => {
    expect((await call("auth.me", undefined, undefined, "GET")).body.result.data).toEqual({ user: null, setupNeeded: true });
    const r = await call("auth.setup", { email: "admin@example.com", password: "a long password" });
    expect(r.body.result.data.role).toBe("admin");
    const again = await call("auth.setup", { email: "evil@example.com", password: "a long password" });
    expect(again.status).toBe(403);
    const me = await call("auth.me", undefined, r.setCookie!.split(";")[0], "GET");
    expect(me.body.result.data.user.email).toBe("admin@example.com");
  });

  it("needs a session and the right role; a sales user sees only their own leads", async () => {
    await createUser(s.ctx.deps.db, { email: "mia@example.com", password: "marketer password", role: "marketer" });
    await createUser(s.ctx.deps.db, { email: "rita@sales.test", password: "sales password", role: "sales" });
    expect((await call("flows.list", undefined, undefined, "GET")).status).toBe(401);
    expect((await call("auth.signIn", { email: "mia@example.com", password: "wrong" })).status).toBe(401);

    const mia = await signIn("mia@example.com", "marketer password");
    await s.api("PUT", "/api/v1/templates/warm-intro", warmIntro);
    await s.api("PUT", "/api/v1/reps", reps);
    expect((await call("flows.saveDraft", { id: "hand-off", document: handoffFlow }, mia)).status).toBe(200);
    expect((await call("flows.publish", { id: "hand-off" }, mia)).body.result.data.version).toBe(1);
    const events = [{ email: "anna@example.hu", type: "demo_request" }, ...[1, 2].map(() => ({ email: "anna@example.hu", type: "page_view", properties: { url: "/pricing" } }))];
    await s.api("POST", "/api/v1/events?wait=true", { events: [...events, { email: "zed@example.com", type: "demo_request" }] });

    const flow = (await call("flows.get", { id: "hand-off" }, mia, "GET")).body.result.data;
    // leads that reached each node; the threshold stopped one of the two
    expect(flow.passed).toMatchObject({ "t-demo": 2, "p-demo": 2, "t-pricing": 1, h50: 2, mail: 1, assign: 1 });
    expect(flow.versions).toHaveLength(1);

    const rita = await signIn("rita@sales.test", "sales password");
    expect((await call("flows.list", undefined, rita, "GET")).status).toBe(403);
    const list = (await call("leads.list", {}, rita, "GET")).body.result.data;
    expect(list.rows.map((r: { email: string }) => r.email)).toEqual(["anna@example.hu"]);
    const all = (await call("leads.list", { sort: "score" }, mia, "GET")).body.result.data;
    expect(all.total).toBe(2);
    const zed = all.rows.find((r: { email: string }) => r.email === "zed@example.com");
    expect((await call("leads.get", { id: zed.id }, rita, "GET")).status).toBe(403);

    const bad = await call("flows.publish", { id: "nope" }, mia);
    expect(bad.status).toBe(404);
    expect(JSON.stringify(bad.body)).not.toMatch(/stack|at .*\.ts:/);

    await call("auth.signOut", {}, rita);
    expect((await call("leads.list", {}, rita, "GET")).status).toBe(401);
  });
});
