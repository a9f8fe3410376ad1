import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSiteKey, createUser, listSiteKeyViews, revokeSiteKeyById, verifySiteKey } from "@leadflow/runtime";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";

describe.each(testDatabaseKinds)("site keys (%s)", (kind) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(kind);
  });
  afterAll(() => s?.close());

  it("creates a key shown once, stores only its hash, verifies it and refuses it once revoked", async () => {
    const db = s.ctx.deps.db;
    const created = await createSiteKey(db, { name: "Shop", origins: ["https://Shop.Example:443/", "http://127.0.0.1:8080"] });
    expect(created.key).toMatch(/^lf_pk_[\w-]{20,}$/);
    expect(created.origins).toEqual(["https://shop.example", "http://127.0.0.1:8080"]);
    const row = await db.selectFrom("site_keys").selectAll().where("id", "=", created.id).executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(createHash("sha256").update(created.key).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(created.key);
    expect(JSON.stringify(await listSiteKeyViews(db))).not.toContain(created.key);

    await expect(verifySiteKey(db, created.key)).resolves.toEqual({ id: created.id, name: "Shop", origins: created.origins });
    await expect(verifySiteKey(db, created.key, "https://shop.example")).resolves.toMatchObject({ id: created.id });
    await expect(verifySiteKey(db, created.key, "https://evil.example")).rejects.toMatchObject({ code: "forbidden" });
    await expect(verifySiteKey(db, "lf_pk_nope")).rejects.toMatchObject({ code: "unauthorized" });
    await expect(verifySiteKey(db, s.key)).rejects.toMatchObject({ code: "unauthorized" });

    await revokeSiteKeyById(db, created.id);
    await expect(verifySiteKey(db, created.key)).rejects.toMatchObject({ code: "unauthorized" });
    const listed = (await listSiteKeyViews(db)).find((k) => k.id === created.id);
    expect(listed?.revokedAt).not.toBeNull();
    await expect(revokeSiteKeyById(db, "00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({ code: "not_found" });
  });

  it("a key without origins may be used from any origin; a bad origin is refused at creation", async () => {
    const db = s.ctx.deps.db;
    const any = await createSiteKey(db, { name: "Anywhere" });
    await expect(verifySiteKey(db, any.key, "https://whatever.example")).resolves.toMatchObject({ origins: [] });
    await expect(createSiteKey(db, { name: "Bad", origins: ["javascript:alert(1)"] })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(createSiteKey(db, { name: "Bad", origins: ["https://shop.example/path"] })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(createSiteKey(db, { name: "" })).rejects.toMatchObject({ code: "invalid_input" });
  });
});

describe.each(testDatabaseKinds)("site keys over REST (%s)", (kind) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(kind);
  });
  afterAll(() => s?.close());

  it("an admin's API key lists, creates and revokes site keys; a site key on a secret route is 403", async () => {
    const created = await s.api("POST", "/api/v1/site-keys", { name: "Shop", origins: ["https://shop.example"] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Shop", origins: ["https://shop.example"], revokedAt: null });
    const key: string = created.body.key;
    expect(key).toMatch(/^lf_pk_/);

    const listed = await s.api("GET", "/api/v1/site-keys");
    expect(listed.status).toBe(200);
    expect(listed.body.siteKeys.map((k: { id: string }) => k.id)).toContain(created.body.id);
    expect(JSON.stringify(listed.body)).not.toContain(key);

    for (const [method, path, body] of [["POST", "/api/v1/events?wait=true", { events: [{ email: "a@example.com", type: "page_view" }] }], ["GET", "/api/v1/site-keys", undefined]] as const) {
      const refused = await s.api(method, path, body, key);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toBe("this is a site key: it can only send tracking events");
    }
    expect((await s.api("GET", "/api/v1/leads/a@example.com")).status).toBe(404);

    expect((await s.api("POST", "/api/v1/site-keys", { name: "Bad", origins: ["ftp://x"] })).status).toBe(400);
    expect((await s.api("DELETE", "/api/v1/site-keys/not-a-uuid")).status).toBe(400);
    expect((await s.api("DELETE", `/api/v1/site-keys/${created.body.id}`)).status).toBe(204);
    const after = await s.api("GET", "/api/v1/site-keys");
    expect(after.body.siteKeys.find((k: { id: string }) => k.id === created.body.id).revokedAt).not.toBeNull();
    expect((await s.api("DELETE", "/api/v1/site-keys/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });
});

describe.each(testDatabaseKinds)("site keys in the web app (%s)", (kind) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(kind);
  });
  afterAll(() => s?.close());

  it("a marketer creates (key shown once), lists and revokes; a sales user may not", async () => {
    await createUser(s.ctx.deps.db, { email: "mia@marketing.test", password: "marketer password", role: "marketer" });
    await createUser(s.ctx.deps.db, { email: "sam@sales.test", password: "sales password", role: "sales" });
    const marketer = await s.signIn("mia@marketing.test", "marketer password");
    const sales = await s.signIn("sam@sales.test", "sales password");

    const created = await s.trpc("siteKeys.create", { name: "Blog", origins: ["https://blog.example"] }, marketer);
    expect(created.status).toBe(200);
    const key: string = created.body.result.data.key;
    await expect(verifySiteKey(s.ctx.deps.db, key, "https://blog.example")).resolves.toMatchObject({ name: "Blog" });
    const bad = await s.trpc("siteKeys.create", { name: "Bad", origins: ["not a website"] }, marketer);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("is not a website address like https://www.example.com");

    const listed = await s.trpc("siteKeys.list", {}, marketer, "GET");
    expect(listed.body.result.data.siteKeys).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect((await s.trpc("siteKeys.list", {}, sales, "GET")).status).toBe(403);
    expect((await s.trpc("siteKeys.revoke", { id: created.body.result.data.id }, sales)).status).toBe(403);

    expect((await s.trpc("siteKeys.revoke", { id: created.body.result.data.id }, marketer)).status).toBe(200);
    await expect(verifySiteKey(s.ctx.deps.db, key)).rejects.toMatchObject({ code: "unauthorized" });
  });
});
