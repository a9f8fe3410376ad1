import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@leadflow/runtime";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";
import { handoffFlow, reps, scoringModel, warmIntro } from "./testing/scenario.js";

/**
 * Every tRPC input is a schema, and a refusal reads as the REST API's: code invalid_input, a
 * sentence, and `fields` with paths inside the document (the web forms list them per field).
 */
describe.each(testDatabaseKinds)("tRPC inputs on %s", (kind) => {
  let s: TestServer;
  let mia: string;
  beforeAll(async () => {
    s = await startTestServer(kind);
    await createUser(s.ctx.deps.db, { email: "mia@example.com", password: "marketer password", role: "marketer" });
    mia = await s.signIn("mia@example.com", "marketer password");
    expect((await s.api("PUT", "/api/v1/templates/warm-intro", warmIntro)).status).toBe(200);
  });
  afterAll(() => s?.close());

  const refusal = (r: { status: number; body: any }) => ({
    status: r.status,
    appCode: r.body.error?.data?.appCode,
    message: r.body.error?.message as string,
    fields: r.body.error?.data?.fields as { path: string; message: string }[] | undefined,
  });

  it("refuses a scoring model, reps or a flow document as REST does, naming the document", async () => {
    const model = refusal(await s.trpc("model.save", { ...scoringModel, tiers: [] }, mia));
    expect(model).toMatchObject({ status: 400, appCode: "invalid_input", fields: [{ path: "tiers", message: "at least one tier" }] });
    expect(model.message).toBe("invalid scoring model: tiers: at least one tier");

    const twice = { reps: [reps.reps[0], reps.reps[0]] };
    expect(refusal(await s.trpc("reps.save", twice, mia))).toMatchObject({ status: 400, appCode: "invalid_input", message: "invalid reps: reps: rep ids must differ" });

    const nameless = { ...handoffFlow, name: "" };
    const flow = refusal(await s.trpc("flows.saveDraft", { id: "hand-off", document: nameless }, mia));
    expect(flow).toMatchObject({ status: 400, appCode: "invalid_input", fields: [{ path: "name", message: "name is required" }] });
    expect(flow.message).toMatch(/^invalid flow document: name/);
  });

  it("lets a document with a bad node config through to validate(), which pins the problem to the node", async () => {
    const nodes = handoffFlow.nodes.map((n) => (n.id === "p-demo" ? { ...n, config: { points: "thirty" } } : n));
    const saved = await s.trpc("flows.saveDraft", { id: "hand-off", document: { ...handoffFlow, nodes } }, mia);
    expect(saved.status).toBe(200);
    expect(saved.body.result.data.issues).toEqual([expect.objectContaining({ code: "bad_config", nodeId: "p-demo" })]);
    expect(saved.body.result.data.draft.nodes.find((n: { id: string }) => n.id === "p-demo").config).toEqual({ points: "thirty" });

    const checked = await s.trpc("flows.check", { document: { ...handoffFlow, nodes } }, mia, "GET");
    expect(checked.body.result.data).toEqual([expect.objectContaining({ code: "bad_config", nodeId: "p-demo" })]);
  });

  it("answers any other input refusal with invalid_input and its fields, not zod's JSON", async () => {
    const r = refusal(await s.trpc("flows.get", { id: "x".repeat(65) }, mia, "GET"));
    expect(r).toMatchObject({ status: 400, appCode: "invalid_input", fields: [{ path: "id" }] });
    expect(r.message).toMatch(/^invalid input: id: /);
  });

  it("refuses a template as REST does, paths inside the template", async () => {
    const t = refusal(await s.trpc("templates.save", { id: "warm-intro", template: { ...warmIntro, subject: "" } }, mia));
    expect(t).toMatchObject({ status: 400, appCode: "invalid_input", fields: [{ path: "subject", message: "subject is required" }] });
    expect(t.message).toBe("invalid template: subject: subject is required");
  });
});
