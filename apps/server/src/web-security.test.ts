import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createTestDatabase } from "@leadflow/db/testing";
import { createUser, FlowCache, loadScoringModel } from "@leadflow/runtime";
import { buildApp } from "./http/app.js";
import { refuseCrossSite } from "./http/security.js";
import { startTestServer, testDatabaseKinds, TestClock, type TestServer } from "./testing/harness.js";

/** A model unlike the default one, so a reset shows. */
const customModel = {
  fitRules: [{ field: "country", op: "eq", value: "HU", points: 7 }],
  tiers: [
    { name: "Cold", min: 0 },
    { name: "Hot", min: 40 },
  ],
  decay: { kind: "halfLife", days: 30 },
};

async function post(url: string, body: string | FormData, headers: Record<string, string>) {
  const res = await fetch(url, { method: "POST", headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** Issue 8, finding 3: security headers, CSRF on the cookie-authenticated tRPC API, Secure cookies. */
describe.each(testDatabaseKinds)("web security on %s", (kind) => {
  let s: TestServer;
  let mia: string;
  beforeAll(async () => {
    s = await startTestServer(kind);
    await createUser(s.ctx.deps.db, { email: "mia@example.com", password: "marketer password", role: "marketer" });
    mia = await s.signIn("mia@example.com", "marketer password");
    expect((await s.trpc("model.save", customModel, mia)).status).toBe(200);
  });
  afterAll(() => s?.close());

  const modelIsCustom = async () => expect((await loadScoringModel(s.ctx.deps.db)).decay).toEqual({ kind: "halfLife", days: 30 });

  it("sends the CSP, frame, content-type and referrer headers on the app, /trpc and /api", async () => {
    for (const path of ["/healthz", "/trpc/auth.me", "/api/v1/reps", "/some/page"]) {
      const res = await fetch(s.url + path);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("script-src 'self';");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toContain("upgrade-insecure-requests");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
      // plain http: no HSTS (it would pin a LAN address to an https it does not have)
      expect(res.headers.get("strict-transport-security"), path).toBeNull();
    }
  });

  it("keeps the unsubscribe page's stricter policy and lets mail clients load the pixel", async () => {
    const page = await fetch(`${s.url}/u/not-a-token`);
    expect(page.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    const pixel = await fetch(`${s.url}/t/o/not-a-token`);
    expect(pixel.headers.get("content-type")).toBe("image/gif");
    expect(pixel.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(pixel.headers.get("x-content-type-options")).toBe("nosniff");
    const click = await fetch(`${s.url}/t/c/not-a-token`, { redirect: "manual" });
    expect(click.status).toBe(404);
    expect(click.headers.get("x-frame-options")).toBe("DENY");
  });

  it("refuses a multipart form posted to a mutation with the marketer's cookie, and runs nothing", async () => {
    const form = new FormData();
    form.set("fitRules", "x");
    const r = await post(`${s.url}/trpc/model.save`, form, { cookie: mia });
    expect(r.status).toBe(415);
    expect(r.body.error.data.httpStatus).toBe(415);
    expect(r.body.error.message).toBe("Leadflow accepts this request as JSON only.");
    await modelIsCustom();
  });

  it("refuses the other bodies a foreign page can send without asking: text/plain and url-encoded", async () => {
    const json = JSON.stringify({});
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "text/plain; charset=utf-8"]) {
      expect((await post(`${s.url}/trpc/model.save`, json, { cookie: mia, "content-type": type })).status, type).toBe(415);
    }
    expect((await post(`${s.url}/trpc/model.save`, "", { cookie: mia })).status).toBe(415);
    await modelIsCustom();
  });

  it("refuses JSON from another origin or another site, and runs nothing", async () => {
    const headers = { cookie: mia, "content-type": "application/json" };
    const body = JSON.stringify({});
    const foreign: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "null" },
      { origin: "http://leadflow.test.evil.example" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { origin: s.url, "sec-fetch-site": "cross-site" },
    ];
    for (const extra of foreign) {
      const r = await post(`${s.url}/trpc/model.save`, body, { ...headers, ...extra });
      expect(r.status, JSON.stringify(extra)).toBe(403);
      expect(r.body.error.data.code).toBe("FORBIDDEN");
      expect(r.body.error.message).toMatch(/^This request came from another site/);
    }
    // a query read from another site is refused too (a top-level navigation carries a Lax cookie)
    const me = await fetch(`${s.url}/trpc/auth.me`, { headers: { cookie: mia, "sec-fetch-site": "cross-site" } });
    expect(me.status).toBe(403);
    await modelIsCustom();
  });

  it("accepts the web app's own calls: same origin, the public URL, or no browser headers at all", async () => {
    const calls: Record<string, string>[] = [
      { origin: s.url, "sec-fetch-site": "same-origin" },
      { origin: "http://leadflow.test" }, // PUBLIC_URL, as a browser sees it behind a proxy
      { "sec-fetch-site": "none" },
      {},
    ];
    for (const extra of calls) {
      const r = await post(`${s.url}/trpc/workspace.save`, JSON.stringify({ timeZone: "Europe/Budapest" }), {
        cookie: mia,
        "content-type": "application/json; charset=utf-8",
        ...extra,
      });
      expect(r.status, JSON.stringify(extra)).toBe(200);
    }
    const query = await fetch(`${s.url}/trpc/auth.me`, { headers: { cookie: mia, origin: s.url, "sec-fetch-site": "same-origin" } });
    expect(query.status).toBe(200);
  });

  it("leaves the REST API to any client with a key (Bearer keys are not sent by a browser on its own)", async () => {
    const r = await fetch(`${s.url}/api/v1/reps`, { headers: { authorization: `Bearer ${s.key}`, origin: "https://elsewhere.example", "sec-fetch-site": "cross-site" } });
    expect(r.status).toBe(200);
  });
});

describe.each(testDatabaseKinds)("Secure session cookie and TRUST_PROXY on %s", (kind) => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  async function server(options: Parameters<typeof startTestServer>[1]) {
    const s = await startTestServer(kind, options);
    servers.push(s);
    await createUser(s.ctx.deps.db, { email: "mia@example.com", password: "marketer password", role: "marketer" });
    return s;
  }
  const signIn = async (s: TestServer, headers: Record<string, string>) => {
    const res = await fetch(`${s.url}/trpc/auth.signIn`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ email: "mia@example.com", password: "marketer password" }),
    });
    expect(res.status).toBe(200);
    return { cookie: res.headers.get("set-cookie") ?? "", hsts: res.headers.get("strict-transport-security") };
  };

  it("marks the cookie Secure when a trusted proxy says the browser used https", async () => {
    const s = await server({ app: { trustProxy: true } });
    const https = await signIn(s, { "x-forwarded-proto": "https" });
    expect(https.cookie).toMatch(/;\s*Secure/i);
    expect(https.hsts).toBe("max-age=31536000");
    const http = await signIn(s, {});
    expect(http.cookie).not.toMatch(/;\s*Secure/i);
  });

  it("ignores X-Forwarded-Proto from a client when no proxy is trusted", async () => {
    const s = await server({});
    const r = await signIn(s, { "x-forwarded-proto": "https" });
    expect(r.cookie).toMatch(/leadflow_session=/);
    expect(r.cookie).not.toMatch(/;\s*Secure/i);
    expect(r.hsts).toBeNull();
  });

  it("marks the cookie Secure whenever PUBLIC_URL is https", async () => {
    const s = await server({ publicUrl: "https://leads.example.com" });
    expect((await signIn(s, {})).cookie).toMatch(/;\s*Secure/i);
  });
});

describe.each(testDatabaseKinds)("the client address with and without TRUST_PROXY on %s", (kind) => {
  it("believes X-Forwarded-For from a trusted proxy only", async () => {
    const database = await createTestDatabase(kind);
    const ctx = {
      deps: { db: database.db, clock: new TestClock(), config: { publicUrl: "http://leadflow.test", mailFrom: "x@leadflow.test" }, newId: randomUUID, flows: new FlowCache() },
    };
    const apps = await Promise.all([buildApp(ctx, { logLevel: "silent" }), buildApp(ctx, { logLevel: "silent", trustProxy: ["127.0.0.1"] }), buildApp(ctx, { logLevel: "silent", trustProxy: 1 })]);
    try {
      const ips: string[] = [];
      for (const app of apps) {
        app.get("/test/ip", async (request) => ({ ip: request.ip }));
        await app.listen({ port: 0, host: "127.0.0.1" });
        const address = app.server.address();
        const port = typeof address === "object" && address ? address.port : 0;
        const res = await fetch(`http://127.0.0.1:${port}/test/ip`, { headers: { "x-forwarded-for": "203.0.113.9" } });
        ips.push(((await res.json()) as { ip: string }).ip);
      }
      expect(ips).toEqual(["127.0.0.1", "203.0.113.9", "203.0.113.9"]);
    } finally {
      await Promise.all(apps.map((a) => a.close()));
      await database.close();
    }
  });
});

describe("the CSRF rule", () => {
  const own = ["http://127.0.0.1:3000", "https://leads.example.com"];
  const facts = { method: "POST", contentType: "application/json", secFetchSite: undefined, origin: undefined, ownOrigins: own };
  it("passes JSON from this server's origins and from clients without browser headers", () => {
    expect(refuseCrossSite(facts)).toBeUndefined();
    expect(refuseCrossSite({ ...facts, origin: "https://LEADS.example.com", secFetchSite: "same-origin" })).toBeUndefined();
    expect(refuseCrossSite({ ...facts, method: "GET", contentType: undefined, secFetchSite: "none" })).toBeUndefined();
  });
  it("refuses other sites, and bodies other than JSON", () => {
    expect(refuseCrossSite({ ...facts, origin: "https://leads.example.com:8443" })?.status).toBe(403);
    expect(refuseCrossSite({ ...facts, secFetchSite: "same-site" })?.status).toBe(403);
    expect(refuseCrossSite({ ...facts, contentType: "application/jsonp" })?.status).toBe(415);
    expect(refuseCrossSite({ ...facts, method: "PUT", contentType: undefined })?.status).toBe(415);
  });
});
