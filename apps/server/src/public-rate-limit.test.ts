import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RATE_LIMITS } from "./http/rate-limit.js";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";

describe.each(testDatabaseKinds)("rate limits on the public routes on %s", (kind) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(kind, { app: { trustProxy: true } });
  });
  afterAll(() => s?.close());

  let lastOctet = 0;
  const newAddress = () => `198.51.100.${++lastOctet}`;
  const hit = (method: string, path: string, ip: string, body?: unknown) =>
    fetch(s.url + path, {
      method,
      redirect: "manual",
      headers: { "x-forwarded-for": ip, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it("answers /t and /u with 429 and Retry-After past the limit, per client address", async () => {
    const ip = newAddress();
    const paths = ["/t/o/not-a-token", "/t/c/not-a-token", "/u/not-a-token"];
    for (let i = 0; i < RATE_LIMITS.tracking.max; i++) {
      const res = await hit("GET", paths[i % paths.length]!, ip);
      expect(res.status).not.toBe(429);
      await res.arrayBuffer();
    }
    for (const path of [...paths, "/t/o/not-a-token"]) {
      const res = await hit("GET", path, ip);
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await res.text()).toMatch(/^Too many requests\. Try again in 1 minute\.$/);
    }
    const post = await hit("POST", "/u/not-a-token", ip);
    expect(post.status).toBe(429);
    // another client is not slowed by this one
    expect((await hit("GET", "/t/o/not-a-token", newAddress())).status).not.toBe(429);
  });

  it("limits sign-in and setup calls per address, also inside a batch, with a tRPC-shaped answer", async () => {
    const ip = newAddress();
    for (let i = 0; i < RATE_LIMITS.credentials.max; i++) {
      // setup answers without a password check (there is no user yet: it would create one), so use a bad e-mail
      const res = await hit("POST", "/trpc/auth.setup", ip, { email: "not an e-mail", password: "a long password" });
      expect(res.status).toBe(400);
    }
    const single = await hit("POST", "/trpc/auth.signIn", ip, { email: "a@example.com", password: "x" });
    expect(single.status).toBe(429);
    expect(Number(single.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await single.json()) as { error: unknown }).error).toMatchObject({ message: "Too many requests. Try again in 1 minute.", data: { code: "TOO_MANY_REQUESTS", httpStatus: 429 } });
    const batch = await hit("POST", "/trpc/auth.me,auth.signIn?batch=1", ip, { 1: { email: "a@example.com", password: "x" } });
    expect(batch.status).toBe(429);
    // other procedures from that address are not limited
    const me = await hit("GET", `/trpc/auth.me?input=${encodeURIComponent("{}")}`, ip);
    expect(me.status).toBe(200);
  });
});
