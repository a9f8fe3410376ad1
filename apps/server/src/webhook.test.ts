import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { createUser, deliverDue, WEBHOOK_NOT_ALLOWED, WEBHOOK_UNREACHABLE, type RuntimeDeps } from "@leadflow/runtime";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1: /hook answers 200, /fail 500, /redirect sends on to /hook. */
async function startReceiver() {
  const received: Received[] = [];
  const server: Server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      if (req.url === "/fail") res.writeHead(500).end("down");
      else if (req.url === "/redirect") res.writeHead(302, { location: `http://127.0.0.1:${port(server)}/hook` }).end();
      else res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, received, port: port(server) };
}

/** An open port that does not speak HTTP the way a receiver would (answers garbage, hangs up, or never answers). */
async function startTcp(onConnection: (socket: Socket) => void) {
  const sockets = new Set<Socket>();
  const server: TcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: port(server),
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: one the kernel just handed out and took back. */
async function closedPort(): Promise<number> {
  const tcp = await startTcp(() => undefined);
  await tcp.close();
  return tcp.port;
}

const port = (server: Server | TcpServer) => (server.address() as AddressInfo).port;
const headersOf = (h: IncomingHttpHeaders) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)]));

/** A flow whose trigger fans out to one webhook node per URL (node ids h0, h1, …). */
const hookFlow = (id: string, eventType: string, urls: string[]) => ({
  id,
  name: id,
  reentry: "always",
  nodes: [{ id: "t", type: "trigger.event", config: { eventType } }, ...urls.map((url, i) => ({ id: `h${i}`, type: "webhook", config: { url } }))],
  edges: urls.map((_, i) => ({ from: "t", to: `h${i}` })),
});

describe.each(testDatabaseKinds)("webhooks on %s", (kind) => {
  let s: TestServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const tcp: Awaited<ReturnType<typeof startTcp>>[] = [];
  const hook = () => `http://127.0.0.1:${receiver.port}/hook`;

  const publish = async (flow: ReturnType<typeof hookFlow>) => {
    expect((await s.api("PUT", `/api/v1/flows/${flow.id}`, flow)).status).toBe(200);
    const published = await s.api("POST", `/api/v1/flows/${flow.id}/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
  };
  const send = async (event: Record<string, unknown>) => {
    const r = await s.api("POST", "/api/v1/events?wait=true", { events: [event] });
    expect(r.body).toMatchObject({ accepted: 1, errors: [] });
  };
  /** one delivery pass, with the environment's WEBHOOK_ALLOW (or another one) */
  const deliver = (config: Partial<RuntimeDeps["config"]> = {}) =>
    deliverDue({ ...s.ctx.deps, config: { ...s.ctx.deps.config, ...config } }, s.clock.now());
  const jobsOf = (flowId: string) =>
    s.ctx.deps.db.selectFrom("outbox_jobs").select(["id", "node_id", "status", "last_error", "attempts"]).where("flow_id", "=", flowId).orderBy("node_id").execute();

  beforeAll(async () => {
    receiver = await startReceiver();
    s = await startTestServer(kind, { webhook: { webhookAllow: [`127.0.0.1:${receiver.port}`] } });
  });
  afterAll(async () => {
    await s?.close();
    await Promise.all(tcp.map((t) => t.close()));
    await new Promise<void>((resolve) => receiver?.server.close(() => resolve()));
  });

  it("refuses loopback, metadata and private targets without WEBHOOK_ALLOW: dead, one reason, nothing received", async () => {
    expect((await s.api("GET", "/api/v1/webhook-secret")).body).toEqual({ exists: false, createdAt: null });
    const open = await startTcp((socket) => socket.end());
    tcp.push(open);
    const urls = [
      hook(),
      `http://localhost:${receiver.port}/hook`,
      `http://[::1]:${receiver.port}/hook`,
      `http://0x7f000001:${receiver.port}/hook`,
      "http://169.254.169.254/latest/meta-data/",
      "http://[::ffff:169.254.169.254]/latest/meta-data/",
      "http://10.0.0.1/hook",
      "http://0.0.0.0/hook",
      `http://127.0.0.1:${open.port}/`,
      `http://127.0.0.1:${await closedPort()}/`,
    ];
    await publish(hookFlow("to-inside", "inside_probe", urls));
    await send({ email: "probe@example.com", type: "inside_probe" });

    const report = await deliver({ webhookAllow: [] });
    expect(report).toMatchObject({ dead: urls.length, sent: 0 });
    const jobs = await jobsOf("to-inside");
    expect(jobs).toHaveLength(urls.length);
    // open or closed, name or address: the stored reason is the same and says nothing of the network
    expect(new Set(jobs.map((j) => `${j.status}: ${j.last_error}`))).toEqual(new Set([`dead: ${WEBHOOK_NOT_ALLOWED}`]));
    expect(receiver.received).toEqual([]);
    // the secret is made on first need; nobody has seen it yet, so rotating is how a marketer gets one
    expect((await s.api("GET", "/api/v1/webhook-secret")).body).toEqual({ exists: true, createdAt: s.clock.now().toISOString() });

    const listed = await s.api("GET", "/api/v1/outbox?status=dead");
    expect(listed.body.jobs.filter((j: { flowId: string }) => j.flowId === "to-inside").map((j: { lastError: string }) => j.lastError)).toEqual(
      urls.map(() => WEBHOOK_NOT_ALLOWED),
    );
  });

  it("delivers to an allowed receiver, signed per Standard Webhooks, with the lead and the event", async () => {
    const rotated = await s.api("POST", "/api/v1/webhook-secret/rotate");
    expect(rotated.status).toBe(200);
    const secret: string = rotated.body.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const status = await s.api("GET", "/api/v1/webhook-secret");
    expect(status.body).toEqual({ exists: true, createdAt: rotated.body.createdAt });
    expect(JSON.stringify(status.body)).not.toContain("whsec_");

    await s.api("PUT", "/api/v1/leads", { email: "ada@example.com", properties: { firstName: "Ada", company: "Analytical" } });
    await publish(hookFlow("demo-hook", "demo_request", [hook()]));
    await send({ id: "demo-1", email: "ada@example.com", type: "demo_request", properties: { plan: "pro" }, occurredAt: "2026-11-01T08:00:00.000Z" });
    expect(await deliver()).toMatchObject({ sent: 1, dead: 0, retried: 0 });

    const [job] = await jobsOf("demo-hook");
    expect(job).toMatchObject({ status: "sent", last_error: null });
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    expect(got).toMatchObject({ method: "POST", path: "/hook" });
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers["webhook-id"]).toBe(job!.id);
    expect(got.headers["leadflow-webhook-version"]).toBe("1");
    expect(got.headers.host).toBe(`127.0.0.1:${receiver.port}`);

    const body = new Webhook(secret).verify(got.body, headersOf(got.headers)) as Record<string, any>;
    const lead = (await s.api("GET", "/api/v1/leads/ada@example.com")).body;
    expect(Object.keys(body).sort()).toEqual(["event", "flowId", "lead", "nodeId", "runId"]);
    expect(body).toMatchObject({ flowId: "demo-hook", nodeId: "h0", runId: expect.any(String) });
    expect(body.lead).toEqual({
      id: lead.id, email: "ada@example.com", properties: { firstName: "Ada", company: "Analytical" }, stage: lead.stage, status: "active",
      owner: null, scores: lead.scores, tier: lead.tier,
    });
    expect(body.event).toEqual({
      id: expect.any(String), idempotencyKey: "demo-1", type: "demo_request", properties: { plan: "pro" }, occurredAt: "2026-11-01T08:00:00.000Z",
    });
  });

  it("rotating the secret changes the signature: the old secret no longer verifies", async () => {
    const first = receiver.received.at(-1)!;
    const oldSecret = (await s.api("POST", "/api/v1/webhook-secret/rotate")).body.secret as string;
    const newSecret = (await s.api("POST", "/api/v1/webhook-secret/rotate")).body.secret as string;
    expect(newSecret).not.toBe(oldSecret);
    await send({ id: "demo-2", email: "ada@example.com", type: "demo_request" });
    expect(await deliver()).toMatchObject({ sent: 1 });
    const second = receiver.received.at(-1)!;
    expect(second).not.toBe(first);
    expect((new Webhook(newSecret).verify(second.body, headersOf(second.headers)) as { event: { idempotencyKey: string } }).event.idempotencyKey).toBe("demo-2");
    expect(() => new Webhook(oldSecret).verify(second.body, headersOf(second.headers))).toThrow(WebhookVerificationError);
  });

  it("rotation through tRPC is for marketers, and shows the new secret once", async () => {
    await createUser(s.ctx.deps.db, { email: "mia@example.com", password: "marketer password", role: "marketer" });
    await createUser(s.ctx.deps.db, { email: "sam@sales.test", password: "sales password", role: "sales" });
    const mia = await s.signIn("mia@example.com", "marketer password");
    const sam = await s.signIn("sam@sales.test", "sales password");
    const rotated = await s.trpc("webhooks.rotateSecret", undefined, mia);
    expect(rotated.status).toBe(200);
    expect(rotated.body.result.data.secret).toMatch(/^whsec_/);
    const status = await s.trpc("webhooks.secretStatus", undefined, mia, "GET");
    expect(status.body.result.data).toEqual({ exists: true, createdAt: rotated.body.result.data.createdAt });
    expect((await s.trpc("webhooks.rotateSecret", undefined, sam)).status).toBe(403);
    expect((await s.trpc("webhooks.secretStatus", undefined, sam, "GET")).status).toBe(403);
  });

  it("an allowed target that cannot be reached stores one text, whether the port is closed, mute, hung up or garbled", async () => {
    const garbled = await startTcp((socket) => socket.end("SSH-2.0-OpenSSH_9.6\r\n"));
    const hangsUp = await startTcp((socket) => socket.destroy());
    const mute = await startTcp(() => undefined);
    tcp.push(garbled, hangsUp, mute);
    const urls = [
      `http://127.0.0.1:${await closedPort()}/hook`,
      `http://127.0.0.1:${garbled.port}/hook`,
      `http://127.0.0.1:${hangsUp.port}/hook`,
      `http://127.0.0.1:${mute.port}/hook`,
      `http://127.0.0.1:${receiver.port}/fail`,
      `http://127.0.0.1:${receiver.port}/redirect`,
    ];
    await publish(hookFlow("unreachable", "unreachable_probe", urls));
    await send({ email: "probe@example.com", type: "unreachable_probe" });
    const seen = receiver.received.length;

    // the deadline only has to outlast a loopback round trip; the mute port runs into it
    expect(await deliver({ webhookAllow: ["127.0.0.1"], webhookTimeoutMs: 1_000 })).toMatchObject({ retried: 5, dead: 1 });
    const errors = Object.fromEntries((await jobsOf("unreachable")).map((j) => [j.node_id, `${j.status}: ${j.last_error}`]));
    expect(errors).toEqual({
      h0: `pending: ${WEBHOOK_UNREACHABLE}`,
      h1: `pending: ${WEBHOOK_UNREACHABLE}`,
      h2: `pending: ${WEBHOOK_UNREACHABLE}`,
      h3: `pending: ${WEBHOOK_UNREACHABLE}`,
      // a reachable, allowed server's own answer may be told
      h4: "pending: the webhook answered 500",
      h5: "dead: the webhook answered 302: redirects are not followed, give the final address",
    });
    // the redirect was not followed
    expect(receiver.received.slice(seen).map((r) => r.path).sort()).toEqual(["/fail", "/redirect"]);
  });
});
