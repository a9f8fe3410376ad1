import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Fastify from "fastify";
import { createUser } from "@leadflow/runtime";
import { loggerOptions, scrubUrl } from "./http/logging.js";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";

describe("scrubUrl", () => {
  it("drops query strings, tokens and e-mail addresses and keeps the rest of the path", () => {
    expect(scrubUrl("/u/abc.def?x=1")).toBe("/u/:token");
    expect(scrubUrl("/t/o/abc")).toBe("/t/o/:token");
    expect(scrubUrl("/t/c/abc/extra#frag")).toBe("/t/c/:token/extra");
    expect(scrubUrl("/api/v1/leads/anna%40example.com")).toBe("/api/v1/leads/:email");
    expect(scrubUrl("/api/v1/leads/anna@example.com/events")).toBe("/api/v1/leads/:email/events");
    expect(scrubUrl("/trpc/leads.list,leads.get?batch=1&input=%7B%7D")).toBe("/trpc/leads.list,leads.get");
    expect(scrubUrl("/api/v1/flows/hand-off")).toBe("/api/v1/flows/hand-off");
    expect(scrubUrl(`/x/${"a".repeat(5000)}`).length).toBeLessThan(310);
  });

  it("applies to Fastify's own not-found line too", async () => {
    const lines: string[] = [];
    const app = Fastify(loggerOptions("info", { write: (l) => void lines.push(l) }));
    try {
      await app.inject({ method: "GET", url: "/nowhere/anna@example.com?input=secret", headers: { cookie: "s=cookie-secret", authorization: "Bearer key-secret" } });
      const log = lines.join("");
      expect(log).toContain("/nowhere/:email");
      for (const secret of ["anna@example.com", "input=", "cookie-secret", "key-secret"]) expect(log).not.toContain(secret);
    } finally {
      await app.close();
    }
  });

  it("redacts credentials in headers that a log line carries", () => {
    const lines: string[] = [];
    const app = Fastify(loggerOptions("info", { write: (l) => void lines.push(l) }));
    app.log.info({ headers: { authorization: "Bearer key-secret", cookie: "s=cookie-secret", "x-leadflow-control": "ctl-secret", accept: "text/html" } }, "headers");
    app.log.info({ res: { headers: { "set-cookie": "s=set-secret" } } }, "reply");
    const log = lines.join("");
    expect(log).toContain("text/html");
    expect(log).toContain("[redacted]");
    for (const secret of ["key-secret", "cookie-secret", "ctl-secret", "set-secret"]) expect(log).not.toContain(secret);
  });
});

/** Issue 8, finding 8: request logs hold no token, e-mail address, tRPC input, API key or cookie. */
describe.each(testDatabaseKinds)("request logs on %s", (kind) => {
  let s: TestServer;
  const lines: string[] = [];
  beforeAll(async () => {
    s = await startTestServer(kind, { app: { logLevel: "info", logStream: { write: (l) => void lines.push(l) } } });
  });
  afterAll(() => s?.close());

  it("logs method and scrubbed path of real requests, nothing personal or secret", async () => {
    await createUser(s.ctx.deps.db, { email: "mia@example.com", password: "marketer password", role: "marketer" });
    const cookie = await s.signIn("mia@example.com", "marketer password");
    expect((await s.api("PUT", "/api/v1/leads", { email: "anna@example.com", properties: { firstName: "Anna" } })).status).toBe(201);
    const token = randomBytes(30).toString("base64url");
    lines.length = 0;

    await fetch(`${s.url}/u/${token}?x=1`);
    await fetch(`${s.url}/t/o/${token}`);
    expect((await s.api("GET", "/api/v1/leads/anna%40example.com")).status).toBe(200);
    const input = encodeURIComponent(JSON.stringify({ search: "anna@example.com" }));
    expect((await fetch(`${s.url}/trpc/leads.list?input=${input}`, { headers: { cookie } })).status).toBe(200);
    await fetch(`${s.url}/nowhere/anna@example.com?input=1`);

    const log = lines.join("");
    const urls = lines.map((l) => JSON.parse(l) as { req?: { url: string } }).flatMap((l) => (l.req ? [l.req.url] : []));
    expect(urls).toEqual(["/u/:token", "/t/o/:token", "/api/v1/leads/:email", "/trpc/leads.list", "/nowhere/:email"]);
    for (const secret of [token, "anna@example.com", "anna%40example.com", "input=", s.key, cookie.split("=")[1]!, "mia@example.com"]) {
      expect(log, secret).not.toContain(secret);
    }
    expect(log).not.toContain("remoteAddress");
  });
});
