import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { appRouter } from "@leadflow/api";
import { createUser } from "@leadflow/runtime";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";
import { hostileJson, hostileKey, hostileScalar, hostileString, mostly, pathSegment } from "./testing/hostile.js";
import { watchedFetch } from "./testing/watched.js";

/** Every tRPC procedure, read from the router the server runs (not a hand-kept list). */
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>).map(([path, p]) => ({ path, type: p._def.type }));
/** These end the session the fuzz runs under; they take no input to fuzz. */
const SESSION_ENDING = new Set(["auth.signOut", "auth.signOutEverywhere"]);

/** Inputs shaped like the procedures' (ids, e-mails, documents…), with hostile values. */
const procedureInput = mostly(
  fc.dictionary(
    fc.oneof(
      fc.constantFrom("id", "email", "password", "document", "template", "to", "leadEmail", "status", "limit", "version", "owner", "search", "tier", "stage", "sort", "page", "pageSize", "decay", "at", "sample", "timeZone"),
      hostileKey,
    ),
    fc.oneof(hostileScalar, hostileJson),
    { maxKeys: 4 },
  ),
  hostileJson,
);

const query = fc.dictionary(fc.oneof(fc.constantFrom("status", "limit", "input", "batch"), hostileString), hostileString, { maxKeys: 3 });

/**
 * Hostile input on every route of the running server (Fastify's route list) and every tRPC
 * procedure (the router's), as a caller holding every credential: whatever the path, query or
 * body, the answer is never 5xx and /healthz keeps answering.
 */
describe.each(testDatabaseKinds)("hostile input on every route on %s", (kind) => {
  let s: TestServer;
  let cookie: string;
  beforeAll(async () => {
    s = await startTestServer(kind);
    await createUser(s.ctx.deps.db, { email: "admin@example.com", password: "admin password", role: "admin" });
    cookie = await s.signIn("admin@example.com", "admin password");
  });
  afterAll(() => s?.close());

  const headers = (json: boolean) => ({ authorization: `Bearer ${s.key}`, cookie, ...(json ? { "content-type": "application/json" } : {}) });

  it("every HTTP route answers hostile path parameters, queries and bodies without a 5xx", async () => {
    // fetch cannot send TRACE or CONNECT (tRPC's route takes every method); HEAD is GET without a body
    const routes = s.app.routeInventory.filter((r) => ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].includes(r.method));
    expect(routes.length).toBeGreaterThan(20);
    const wrong: string[] = [];
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(fc.array(hostileString, { minLength: 3, maxLength: 3 }), query, hostileJson, async (params, q, body) => {
          let i = 0;
          const path = route.url.replace(/:[A-Za-z0-9_]+|\*/g, () => pathSegment(params[i++] || "x"));
          // URLSearchParams cannot encode a lone surrogate; the path already carries those
          const clean = (t: string) => t.replace(/[\ud800-\udfff]/g, "?");
          const search = new URLSearchParams(Object.entries(q).map(([k, v]): [string, string] => [clean(k), clean(v)]));
          const withBody = route.method !== "GET";
          const r = await watchedFetch(s.url, `${path}?${search}`, { method: route.method, headers: headers(withBody), body: withBody ? JSON.stringify(body) : undefined });
          if (r.status >= 500) wrong.push(`${route.method} ${route.url} (${path.slice(0, 60)}): ${r.status} ${r.text.slice(0, 200)}`);
        }),
        { numRuns: 12 },
      );
    }
    expect(wrong).toEqual([]);
  });

  it("every tRPC procedure answers hostile input without a 5xx", async () => {
    const wrong: string[] = [];
    for (const p of procedures.filter((p) => !SESSION_ENDING.has(p.path))) {
      await fc.assert(
        fc.asyncProperty(procedureInput, async (input) => {
          const json = JSON.stringify(input) ?? "null";
          const r =
            p.type === "query"
              ? await watchedFetch(s.url, `/trpc/${p.path}?input=${encodeURIComponent(json)}`, { headers: headers(false) })
              : await watchedFetch(s.url, `/trpc/${p.path}`, { method: "POST", headers: headers(true), body: json });
          if (r.status >= 500) wrong.push(`${p.path} ${json.slice(0, 120)}: ${r.status} ${r.text.slice(0, 200)}`);
        }),
        { numRuns: 15 },
      );
    }
    expect(wrong).toEqual([]);
  });
});
