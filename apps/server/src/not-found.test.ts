import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { createTestDatabase } from "@leadflow/db/testing";
import { FlowCache } from "@leadflow/runtime";
import { buildApp } from "./http/app.js";

/**
 * With the web app served, an unknown path under a prefix the server owns answers a JSON 404 (a
 * Prometheus scraper or an API client must not get the web app's page with 200); the web app's
 * own routes still get its page. The routing is the same on either database: PGlite only.
 */
describe("unknown paths", () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  const webDir = mkdtempSync(join(tmpdir(), "leadflow-web-"));
  beforeAll(async () => {
    writeFileSync(join(webDir, "index.html"), "<!doctype html><title>Leadflow</title>");
    const database = await createTestDatabase("pglite");
    const deps = {
      db: database.db,
      clock: { now: () => new Date() },
      config: { publicUrl: "http://leadflow.test", mailFrom: "Leadflow <hello@leadflow.test>" },
      newId: randomUUID,
      flows: new FlowCache(),
    };
    app = await buildApp({ deps }, { logLevel: "silent", webDir });
    close = async () => {
      await app.close();
      await database.close();
      rmSync(webDir, { recursive: true, force: true });
    };
  });
  afterAll(() => close?.());

  it.each(["/api", "/api/nope", "/api/v1/nope", "/t", "/t/x/y", "/u", "/u/a/b", "/trpc", "/metrics/x", "/docs/x", "/v1/nope", "/healthz/x", "/internal/x"])(
    "GET %s answers a JSON 404",
    async (url) => {
      const res = await app.inject({ method: "GET", url: `${url}?q=1` });
      expect(res.statusCode).toBe(404);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expect(res.json()).toEqual({ error: { code: "not_found", message: `no route GET ${url}` } });
    },
  );

  it.each(["/", "/leads", "/leads/anna@example.hu", "/flows/hand-off", "/tiers", "/apiary", "/docsy"])("GET %s is the web app's page", async (url) => {
    const res = await app.inject({ method: "GET", url });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.body).toContain("<title>Leadflow</title>");
  });

  it("serves the reference page at /docs and the document at /api/v1/openapi.json, not the web app", async () => {
    const docs = await app.inject({ method: "GET", url: "/docs" });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain("Leadflow API");
    const document = await app.inject({ method: "GET", url: "/api/v1/openapi.json" });
    expect(document.json().openapi).toBe("3.1.0");
  });

  it("answers other methods on unknown paths with a JSON 404 as before", async () => {
    const res = await app.inject({ method: "POST", url: "/leads" });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe("not_found");
  });
});
