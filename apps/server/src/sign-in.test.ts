import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@leadflow/runtime";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";

const HOUR = 3_600_000;

describe.each(testDatabaseKinds)("sign-in abuse and sessions on %s", (kind) => {
  let s: TestServer;
  beforeAll(async () => {
    // X-Forwarded-For is believed, so each test signs in from its own address (request.ip)
    s = await startTestServer(kind, { app: { trustProxy: true } });
    await createUser(s.ctx.deps.db, { email: "mia@example.com", password: "marketer password", role: "marketer" });
    await createUser(s.ctx.deps.db, { email: "max@example.com", password: "another password", role: "marketer" });
  });
  afterAll(() => s?.close());

  let lastOctet = 0;
  const newAddress = () => `203.0.113.${++lastOctet}`;

  async function call(path: string, input: unknown, opts: { ip: string; cookie?: string; method?: "GET" | "POST" }) {
    const get = opts.method === "GET";
    const res = await fetch(get ? `${s.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}` : `${s.url}/trpc/${path}`, {
      method: get ? "GET" : "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": opts.ip, ...(opts.cookie ? { cookie: opts.cookie } : {}) },
      body: get ? undefined : JSON.stringify(input),
    });
    return { status: res.status, body: (await res.json()) as any, retryAfter: res.headers.get("retry-after"), setCookie: res.headers.get("set-cookie") };
  }
  const signIn = (email: string, password: string, ip: string, cookie?: string) => call("auth.signIn", { email, password }, { ip, cookie });
  const cookieOf = (r: { setCookie: string | null }) => r.setCookie!.split(";")[0]!;
  const whoIs = async (cookie: string, ip: string) => (await call("auth.me", undefined, { ip, cookie, method: "GET" })).body.result.data.user?.email ?? null;

  it("answers the 21st wrong password from one address within a minute with 429 and Retry-After", async () => {
    const ip = newAddress();
    for (let i = 1; i <= 20; i++) {
      // a different (unknown) e-mail each time: only the address's count can stop it
      expect((await signIn(`guess${i}@example.com`, "wrong", ip)).status).toBe(401);
    }
    const refused = await signIn("guess21@example.com", "wrong", ip);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBe(60);
    expect(refused.body.error.message).toBe("Too many attempts. Try again in 1 minute.");
    expect(refused.body.error.data).toMatchObject({ code: "TOO_MANY_REQUESTS", httpStatus: 429, retryAfterSeconds: 60 });
    // the address is locked even for a right password; another address is not
    expect((await signIn("mia@example.com", "marketer password", ip)).status).toBe(429);
    expect((await signIn("mia@example.com", "marketer password", newAddress())).status).toBe(200);
    s.clock.advance(61_000);
    expect((await signIn("mia@example.com", "marketer password", ip)).status).toBe(200);
  });

  it("does not count successful sign-ins against the address (an office behind one IP)", async () => {
    const ip = newAddress();
    for (let i = 0; i < 22; i++) expect((await signIn("max@example.com", "another password", ip)).status).toBe(200);
  });

  it("locks an account after 5 failures, refusing even the right password, with growing waits", async () => {
    const email = "Mia@Example.com"; // counted by the lower-cased e-mail
    for (let i = 0; i < 5; i++) expect((await signIn(email, "wrong", newAddress())).status).toBe(401);
    const locked = await signIn("mia@example.com", "marketer password", newAddress());
    expect(locked.status).toBe(429);
    expect(locked.retryAfter).toBe("30");
    expect(locked.body.error.message).toBe("Too many attempts. Try again in 1 minute.");

    s.clock.advance(31_000);
    expect((await signIn(email, "wrong", newAddress())).status).toBe(401);
    const longer = await signIn(email, "marketer password", newAddress());
    expect(longer.status).toBe(429);
    expect(longer.retryAfter).toBe("60");

    s.clock.advance(61_000);
    expect((await signIn(email, "marketer password", newAddress())).status).toBe(200);
    // a success starts the account afresh: 4 more failures do not lock it
    for (let i = 0; i < 4; i++) expect((await signIn(email, "wrong", newAddress())).status).toBe(401);
    expect((await signIn(email, "marketer password", newAddress())).status).toBe(200);
  });

  it("counts parallel guesses before checking them, so a burst cannot slip past the limit", async () => {
    const statuses = await Promise.all(Array.from({ length: 12 }, () => signIn("max@example.com", "wrong", newAddress()).then((r) => r.status)));
    expect(statuses.filter((x) => x === 401)).toHaveLength(5);
    expect(statuses.filter((x) => x === 429)).toHaveLength(7);
    s.clock.advance(16 * 60_000); // past the longest wait and the quiet time
    expect((await signIn("max@example.com", "another password", newAddress())).status).toBe(200);
  });

  it("locks an unknown e-mail exactly like a known one (no account enumeration)", async () => {
    for (let i = 0; i < 5; i++) expect((await signIn("nobody@example.com", "wrong", newAddress())).status).toBe(401);
    const r = await signIn("nobody@example.com", "wrong", newAddress());
    expect(r.status).toBe(429);
    expect(r.body.error.message).toBe("Too many attempts. Try again in 1 minute.");
  });

  it("gives a new token at every sign-in and ends the session the request carried", async () => {
    const ip = newAddress();
    const first = cookieOf(await signIn("mia@example.com", "marketer password", ip));
    const second = cookieOf(await signIn("mia@example.com", "marketer password", ip, first));
    expect(second).not.toBe(first);
    expect(await whoIs(first, ip)).toBeNull();
    expect((await call("flows.list", undefined, { ip, cookie: first, method: "GET" })).status).toBe(401);
    expect(await whoIs(second, ip)).toBe("mia@example.com");
    // a sign-in elsewhere (no cookie) leaves the other devices signed in
    const third = cookieOf(await signIn("mia@example.com", "marketer password", newAddress()));
    expect(await whoIs(second, ip)).toBe("mia@example.com");
    expect(await whoIs(third, ip)).toBe("mia@example.com");
  });

  it("ends a session left unused for 12 hours, and any session after 14 days", async () => {
    const ip = newAddress();
    const cookie = cookieOf(await signIn("mia@example.com", "marketer password", ip));
    s.clock.advance(11 * HOUR);
    expect(await whoIs(cookie, ip)).toBe("mia@example.com");
    s.clock.advance(11 * HOUR); // 22 h after sign-in, 11 h after the last use
    expect(await whoIs(cookie, ip)).toBe("mia@example.com");
    s.clock.advance(12 * HOUR + 60_000);
    expect(await whoIs(cookie, ip)).toBeNull();

    const busy = cookieOf(await signIn("mia@example.com", "marketer password", ip));
    for (let h = 0; h < 14 * 24 - 10; h += 10) {
      s.clock.advance(10 * HOUR);
      expect(await whoIs(busy, ip)).toBe("mia@example.com");
    }
    s.clock.advance(10 * HOUR);
    expect(await whoIs(busy, ip)).toBeNull();
  });

  it("signs a user out everywhere: every session of that user ends, others' stay", async () => {
    const ip = newAddress();
    const laptop = cookieOf(await signIn("mia@example.com", "marketer password", ip));
    const phone = cookieOf(await signIn("mia@example.com", "marketer password", newAddress()));
    const colleague = cookieOf(await signIn("max@example.com", "another password", ip));
    const r = await call("auth.signOutEverywhere", {}, { ip, cookie: laptop });
    expect(r.status).toBe(200);
    expect(r.body.result.data.ended).toBeGreaterThanOrEqual(2);
    expect(r.setCookie).toMatch(/leadflow_session=;/);
    expect(await whoIs(laptop, ip)).toBeNull();
    expect(await whoIs(phone, ip)).toBeNull();
    expect((await call("leads.list", {}, { ip, cookie: phone, method: "GET" })).status).toBe(401);
    expect(await whoIs(colleague, ip)).toBe("max@example.com");
    expect((await call("auth.signOutEverywhere", {}, { ip })).status).toBe(401);
  });

  it("removes the sessions of a deleted user", async () => {
    const ip = newAddress();
    const user = await createUser(s.ctx.deps.db, { email: "temp@example.com", password: "temporary password", role: "sales" });
    const cookie = cookieOf(await signIn("temp@example.com", "temporary password", ip));
    await s.ctx.deps.db.deleteFrom("users").where("id", "=", user.id).execute();
    expect(await s.ctx.deps.db.selectFrom("sessions").select("id").where("user_id", "=", user.id).execute()).toEqual([]);
    expect(await whoIs(cookie, ip)).toBeNull();
  });
});
