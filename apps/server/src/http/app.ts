import { existsSync } from "node:fs";
import { timingSafeEqual } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import fastifyStatic from "@fastify/static";
import { AppError } from "@leadflow/runtime";
import type { AppContext } from "../context.js";
import { CommandRequest, executeCommand } from "../commands.js";
import { clientErrorHandler, errorHandler, frameworkErrorHandler } from "./errors.js";
import { registerJsonBody } from "./json-body.js";
import { loggerOptions, type LogStream } from "./logging.js";
import { recordRoutes } from "./public-routes.js";
import { registerRateLimits } from "./rate-limit.js";
import { restRoutes } from "./rest.js";
import { importRoutes } from "./rest-imports.js";
import { registerSecurity } from "./security.js";
import { trackingRoutes } from "./tracking.js";
import { segmentRoutes } from "./segment.js";
import { snippetRoutes } from "./snippet.js";
import { trpcRoutes } from "./trpc.js";
import { healthRoutes } from "./health.js";
import { registerMetrics, ServerMetrics } from "./metrics.js";
import type { SchedulerCheck } from "../ticks.js";
import { openApiRoutes, registerOpenApi } from "./openapi.js";
import { describedCommand } from "./openapi-cli.js";

export interface AppOptions {
  logLevel?: string;
  /** built web app to serve at / */
  webDir?: string;
  /** where log lines go (tests capture them); default stdout */
  logStream?: LogStream;
  /**
   * proxies whose X-Forwarded-For/-Proto/-Host are believed (TRUST_PROXY): true = any, a number =
   * that many hops, a list = those addresses or CIDR ranges; default none
   */
  trustProxy?: boolean | number | string[];
  /** secret of the local control endpoint the CLI uses while this process owns the embedded database */
  controlToken?: string;
  /** the process's metrics (the scheduler records its ticks in them); default a fresh registry */
  metrics?: ServerMetrics;
  /** METRICS_TOKEN: the Bearer token /metrics wants off loopback; unset = loopback only */
  metricsToken?: string;
  /** the scheduler's state for /readyz; unset = this process does not tick */
  scheduler?: () => SchedulerCheck;
  /** check every answer against its documented schema (500 when it differs); tests turn it on */
  checkResponses?: boolean;
}

/** Paths the server owns: an unknown one there is a JSON 404, never the web app's page. */
const SERVER_PATHS = /^\/(api|t|u|v1|trpc|metrics|docs|healthz|readyz|internal)(\/|$)/;

/** Fastify takes a hop count as a function (its types do not list the number form). */
const trustProxySetting = (t: AppOptions["trustProxy"]) => (typeof t === "number" ? (_address: string, hop: number) => hop < t : (t ?? false));

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export async function buildApp(ctx: AppContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...loggerOptions(options.logLevel ?? "info", options.logStream),
    trustProxy: trustProxySetting(options.trustProxy),
    bodyLimit: 5 * 1024 * 1024,
    routerOptions: { maxParamLength: 5000 },
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  });
  recordRoutes(app);
  await registerOpenApi(app, { checkResponses: options.checkResponses ?? false });
  await registerSecurity(app, ctx.deps.config.publicUrl);
  await registerRateLimits(app);
  app.setErrorHandler(errorHandler);
  registerJsonBody(app);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0]!;
    if (SERVER_PATHS.test(path) || request.method !== "GET" || !options.webDir) {
      return reply.status(404).send({ error: { code: "not_found", message: `no route ${request.method} ${path}` } });
    }
    return reply.sendFile("index.html"); // the web app routes in the browser
  });

  registerMetrics(app, options.metrics ?? new ServerMetrics(ctx.deps.db), options.metricsToken);
  healthRoutes(app, ctx.deps.db, options.scheduler);
  openApiRoutes(app);
  await app.register(trackingRoutes(ctx));
  await app.register(segmentRoutes(ctx), { prefix: "/v1" });
  await app.register(snippetRoutes(ctx));
  await app.register((api, _opts, done) => {
    restRoutes(api, ctx).then(() => done(), done);
  }, { prefix: "/api/v1" });
  await app.register(async (api) => importRoutes(api, ctx, options.controlToken), { prefix: "/api/v1" });
  await trpcRoutes(app, ctx);

  if (options.controlToken) {
    const token = options.controlToken;
    app.post("/internal/cli", { schema: describedCommand }, async (request) => {
      const given = request.headers["x-leadflow-control"];
      // the socket's address, not request.ip: behind TRUST_PROXY a client could claim X-Forwarded-For: 127.0.0.1
      const peer = request.socket.remoteAddress;
      const local = peer === "127.0.0.1" || peer === "::1" || peer === "::ffff:127.0.0.1";
      if (!local || typeof given !== "string" || !sameSecret(given, token)) {
        throw new AppError("unauthorized", "the control endpoint is for the local CLI only");
      }
      const parsed = CommandRequest.safeParse(request.body);
      if (!parsed.success) throw new AppError("invalid_input", "unknown command");
      return executeCommand(ctx, parsed.data);
    });
  }

  if (options.webDir && existsSync(options.webDir)) {
    await app.register(fastifyStatic, { root: options.webDir, wildcard: false });
  }
  return app;
}
