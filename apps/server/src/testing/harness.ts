import { randomUUID } from "node:crypto";
import { createTestDatabase, testDatabaseKinds } from "@leadflow/db/testing";
import { createApiKey, FlowCache, type Clock, type RuntimeDeps } from "@leadflow/runtime";
import type { MailTransport } from "@leadflow/mailer";
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { buildApp, type AppOptions } from "../http/app.js";

export { testDatabaseKinds };

/** A clock the test moves. */
export class TestClock implements Clock {
  constructor(private current = new Date("2026-11-02T09:00:00Z")) {}
  now() {
    return new Date(this.current);
  }
  set(iso: string) {
    this.current = new Date(iso);
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface TestServer {
  url: string;
  key: string;
  ctx: AppContext;
  clock: TestClock;
  /** the Fastify instance (its routeInventory lists every route) */
  app: FastifyInstance;
  /** JSON request with the API key; returns status and parsed body */
  api<T = any>(method: string, path: string, body?: unknown, key?: string | null): Promise<{ status: number; body: T }>;
  /** a tRPC call as the web app makes it (POST for mutations, GET for queries), with a session cookie */
  trpc(path: string, input: unknown, cookie?: string, method?: "GET" | "POST"): Promise<{ status: number; body: any; setCookie: string | null }>;
  /** signs in through tRPC; returns the session cookie ("name=value") */
  signIn(email: string, password: string): Promise<string>;
  close(): Promise<void>;
}

/** The real HTTP server on 127.0.0.1 over a fresh database of that kind. */
export async function startTestServer(
  kind: (typeof testDatabaseKinds)[number],
  options: {
    transport?: MailTransport;
    controlToken?: string;
    publicUrl?: string;
    app?: Pick<AppOptions, "logLevel" | "logStream" | "trustProxy" | "checkResponses">;
    /** WEBHOOK_ALLOW and the attempt's deadline, as the environment would give them */
    webhook?: Pick<RuntimeDeps["config"], "webhookAllow" | "webhookTimeoutMs">;
  } = {},
): Promise<TestServer> {
  const database = await createTestDatabase(kind);
  const clock = new TestClock();
  const deps: RuntimeDeps = {
    db: database.db,
    clock,
    transport: options.transport,
    config: { publicUrl: options.publicUrl ?? "http://leadflow.test", mailFrom: "Leadflow <hello@leadflow.test>", ...options.webhook },
    newId: randomUUID,
    flows: new FlowCache(),
  };
  const ctx: AppContext = { deps };
  const app = await buildApp(ctx, { logLevel: "silent", controlToken: options.controlToken, ...options.app });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const { key } = await createApiKey(database.db, "test");
  const server: TestServer = {
    url,
    key,
    ctx,
    clock,
    app,
    async api(method, path, body, useKey = key) {
      const res = await fetch(url + path, {
        method,
        headers: {
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
          ...(useKey ? { authorization: `Bearer ${useKey}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async trpc(path, input, cookie, method = "POST") {
      const target = method === "GET" ? `${url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}` : `${url}/trpc/${path}`;
      const res = await fetch(target, {
        method,
        headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
        body: method === "POST" ? JSON.stringify(input) : undefined,
      });
      return { status: res.status, body: await res.json(), setCookie: res.headers.get("set-cookie") };
    },
    async signIn(email, password) {
      const r = await server.trpc("auth.signIn", { email, password });
      if (r.status !== 200 || !r.setCookie) throw new Error(`sign-in of ${email} failed: ${JSON.stringify(r.body)}`);
      return r.setCookie.split(";")[0]!;
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
  return server;
}
