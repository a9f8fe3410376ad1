import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDocumented } from "./http/openapi.js";
import { TYPES_FILE, typesOf } from "./client/generate-types.js";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";

type Operation = { parameters?: { name: string; in: string; required?: boolean }[]; responses?: Record<string, unknown>; requestBody?: unknown };
type Document = { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, unknown> } };

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/**
 * OpenAPI 3.1's structural rules that a generator can get wrong: the version, info, paths that
 * start with "/", every templated path parameter declared (in: path, required), every
 * operation with answers, every $ref resolving inside the document.
 */
function structuralProblems(doc: Document): string[] {
  const problems: string[] = [];
  if (!/^3\.1\.\d+$/.test(doc.openapi)) problems.push(`openapi is ${doc.openapi}, not 3.1.x`);
  if (!doc.info?.title || !doc.info?.version) problems.push("info needs title and version");
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!path.startsWith("/")) problems.push(`${path}: does not start with /`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const declared = (op.parameters ?? []).filter((p) => p.in === "path");
      for (const name of templated) {
        if (!declared.some((p) => p.name === name && p.required === true)) problems.push(`${method} ${path}: path parameter ${name} not declared as required`);
      }
      for (const p of declared) if (!templated.includes(p.name)) problems.push(`${method} ${path}: declares path parameter ${p.name} the path lacks`);
      if (!op.responses || Object.keys(op.responses).length === 0) problems.push(`${method} ${path}: no responses`);
    }
  }
  const text = JSON.stringify(doc);
  for (const [, ref] of text.matchAll(/"\$ref":"([^"]+)"/g)) {
    const name = ref!.replace("#/components/schemas/", "");
    if (!ref!.startsWith("#/components/schemas/") || !doc.components?.schemas?.[name]) problems.push(`unresolved $ref ${ref}`);
  }
  return problems;
}

describe.each(testDatabaseKinds)("the OpenAPI document on %s", (kind) => {
  let s: TestServer;
  let doc: Document;
  beforeAll(async () => {
    s = await startTestServer(kind, { controlToken: "control-token-for-the-openapi-test", app: { checkResponses: true } });
    const res = await fetch(`${s.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as Document;
  });
  afterAll(() => s?.close());

  it("is served without a key and is structurally valid OpenAPI 3.1", () => {
    expect(structuralProblems(doc)).toEqual([]);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(20);
  });

  it("lists exactly the REST routes and public doors the running server registers", () => {
    const served = s.app.routeInventory
      .filter((r) => r.method !== "HEAD" && isDocumented(r.method, r.url))
      .map((r) => `${r.method.toLowerCase()} ${r.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`);
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).filter((m) => METHODS.includes(m)).map((m) => `${m} ${path}`));
    expect(new Set(documented)).toEqual(new Set(served));
    for (const must of ["post /api/v1/events", "get /api/v1/leads/{key}", "delete /api/v1/site-keys/{id}", "get /t/o/{token}", "post /v1/batch", "post /internal/cli"]) {
      expect(documented).toContain(must);
    }
  });

  it("documents the request bodies from the routes' zod schemas and the error shape", () => {
    const put = doc.paths["/api/v1/leads"]!.put!;
    expect(JSON.stringify(put.requestBody)).toContain('"email"');
    expect(doc.components?.schemas?.Error).toBeDefined();
    expect(JSON.stringify(doc.paths["/api/v1/outbox"]!.get!.parameters)).toContain('"limit"');
  });

  it("matches the committed client types (run `pnpm --filter @leadflow/server gen:client` after changing a route)", async () => {
    expect(await typesOf(doc)).toBe(readFileSync(TYPES_FILE, "utf8"));
  });

  it("refuses bad route input in the API's own error shape, not Fastify's", async () => {
    const query = await s.api("GET", "/api/v1/outbox?limit=0");
    expect(query.status).toBe(400);
    expect(query.body.error).toMatchObject({ code: "invalid_input", fields: [expect.objectContaining({ path: "limit" })] });
    expect(query.body.error.message).toMatch(/^invalid query: limit: /);
    const params = await s.api("POST", "/api/v1/outbox/not-a-uuid/retry");
    expect(params.status).toBe(400);
    expect(params.body.error.message).toBe("invalid outbox job: id: id must be an outbox job id (a UUID)");
    const body = await s.api("POST", "/api/v1/events", { events: [] });
    expect(body.status).toBe(400);
    expect(body.body.error.message).toBe("invalid request: expected { events: [...] }: events: events must not be empty");
  });

  it("has a reference page at /docs naming every operation", async () => {
    const res = await fetch(`${s.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    for (const path of Object.keys(doc.paths)) expect(html).toContain(path.replace(/[{}]/g, (c) => c));
    expect(html).toContain("POST /api/v1/events");
  });
});
