import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, PUBLIC_PROCEDURES, type ProcedureMeta } from "@leadflow/api";
import { createUser } from "@leadflow/runtime";
import { isPublicRoute, PUBLIC_ROUTES } from "./http/public-routes.js";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";

interface ProcedureInfo {
  path: string;
  type: "query" | "mutation" | "subscription";
  meta: ProcedureMeta | undefined;
}

/** Every procedure of the router the server runs, read from the router itself. */
const procedures: ProcedureInfo[] = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureInfo["type"]; meta?: ProcedureMeta } }>).map(
  ([path, p]) => ({ path, type: p._def.type, meta: p._def.meta }),
);
const isPublicProcedure = (path: string) => (PUBLIC_PROCEDURES as readonly string[]).includes(path);

describe.each(testDatabaseKinds)("route inventory on %s", (kind) => {
  let s: TestServer;
  let salesCookie: string;
  beforeAll(async () => {
    s = await startTestServer(kind, { controlToken: "control-token-for-the-inventory-test" });
    await createUser(s.ctx.deps.db, { email: "rita@sales.test", password: "sales password", role: "sales" });
    salesCookie = await s.signIn("rita@sales.test", "sales password");
  });
  afterAll(() => s?.close());

  /** a route's URL with harmless values for its parameters */
  const concrete = (url: string) => url.replace(/:[A-Za-z0-9_]+/g, "x").replace(/\*/g, "x");

  async function request(method: string, url: string, headers: Record<string, string> = {}) {
    const withBody = !["GET", "HEAD", "OPTIONS"].includes(method);
    const res = await fetch(s.url + url, {
      method,
      redirect: "manual",
      headers: { ...(withBody ? { "content-type": "application/json" } : {}), ...headers },
      body: withBody ? "{}" : undefined,
    });
    await res.arrayBuffer();
    return res.status;
  }

  it("reads the routes from the running server, and every listed public route exists", () => {
    const routes = s.app.routeInventory;
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.some((r) => r.url.startsWith("/api/v1/"))).toBe(true);
    for (const entry of Object.keys(PUBLIC_ROUTES)) {
      const [method, url] = entry.split(" ") as [string, string];
      expect(routes.some((r) => r.url === url && (method === "*" || r.method === method)), `${entry} is listed as public but not served`).toBe(true);
    }
  });

  it("refuses an anonymous caller and a garbage key on every route that is not public", async () => {
    const guarded = s.app.routeInventory.filter((r) => !isPublicRoute(r.method, r.url));
    expect(guarded.length).toBeGreaterThan(10);
    const wrong: string[] = [];
    for (const route of guarded) {
      const url = concrete(route.url);
      const anonymous = await request(route.method, url);
      const garbage = await request(route.method, url, { authorization: "Bearer lf_sk_garbage", "x-leadflow-control": "garbage" });
      if (anonymous !== 401 || garbage !== 401) wrong.push(`${route.method} ${route.url}: ${anonymous} anonymous, ${garbage} with a garbage key`);
    }
    expect(wrong).toEqual([]);
  });

  const call = async (p: ProcedureInfo, cookie?: string) => {
    // harmless input; a 400 here would mean validation ran before the check of who is asking
    const headers: Record<string, string> = { "content-type": "application/json", ...(cookie ? { cookie } : {}) };
    const res =
      p.type === "query"
        ? await fetch(`${s.url}/trpc/${p.path}?input=${encodeURIComponent("{}")}`, { headers })
        : await fetch(`${s.url}/trpc/${p.path}`, { method: "POST", headers, body: "{}" });
    await res.arrayBuffer();
    return res.status;
  };

  it("names only procedures that exist as public, and every other procedure checks a role", () => {
    const paths = procedures.map((p) => p.path);
    for (const name of PUBLIC_PROCEDURES) expect(paths).toContain(name);
    const unchecked = procedures.filter((p) => !isPublicProcedure(p.path) && !p.meta?.roles?.length).map((p) => p.path);
    expect(unchecked).toEqual([]);
    expect(procedures.length).toBeGreaterThan(20);
  });

  it("answers 401 to an anonymous caller on every procedure that is not public", async () => {
    const wrong: string[] = [];
    for (const p of procedures.filter((p) => !isPublicProcedure(p.path))) {
      const status = await call(p);
      if (status !== 401) wrong.push(`${p.path}: ${status}`);
    }
    expect(wrong).toEqual([]);
  });

  it("answers 403 to a signed-in sales user on every procedure for marketers or admins", async () => {
    const marketerOnly = procedures.filter((p) => p.meta?.roles && !p.meta.roles.includes("sales"));
    expect(marketerOnly.length).toBeGreaterThan(10);
    const wrong: string[] = [];
    for (const p of marketerOnly) {
      const status = await call(p, salesCookie);
      if (status !== 403) wrong.push(`${p.path}: ${status}`);
    }
    expect(wrong).toEqual([]);
  });
});
