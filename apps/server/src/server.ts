import { randomBytes, randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { acquireDataDirLock, openDatabase, type Database, type DataDirLock } from "@leadflow/db";
import { createSmtpTransport } from "@leadflow/mailer";
import { FlowCache, systemClock, tick, type Clock, type RuntimeDeps } from "@leadflow/runtime";
import type { Env } from "./env.js";
import type { AppContext } from "./context.js";
import { buildApp } from "./http/app.js";
import { ServerMetrics } from "./http/metrics.js";
import { startTickLoop, type TickLoop } from "./ticks.js";
import { startupStep } from "./startup-errors.js";
import { startScoringConsumer } from "./consumer-start.js";

export const defaultWebDir = fileURLToPath(new URL("../../web/dist", import.meta.url));

/**
 * Opens the configured database; with the embedded one, this process takes its data directory.
 * Throws StartupError naming the step that failed (see startup-errors.ts).
 */
export async function openConfiguredDatabase(env: Env): Promise<{ database: Database; lock?: DataDirLock }> {
  const url = env.DATABASE_URL;
  if (url) return { database: await startupStep("database", () => openDatabase({ kind: "postgres", url })) };
  const lock = await startupStep("data-dir", () => acquireDataDirLock(env.DATA_DIR));
  try {
    return { database: await startupStep("database", () => openDatabase({ kind: "pglite", dataDir: env.DATA_DIR })), lock };
  } catch (e) {
    lock.release();
    throw e;
  }
}

export function createContext(database: Database, env: Env, clock: Clock = systemClock): AppContext {
  const deps: RuntimeDeps = {
    db: database.db,
    clock,
    transport: env.SMTP_URL ? createSmtpTransport(env.SMTP_URL) : undefined,
    config: {
      publicUrl: env.PUBLIC_URL, mailFrom: env.MAIL_FROM, secret: env.SECRET, frequencyCap: env.FREQUENCY_CAP,
      webhookAllow: env.WEBHOOK_ALLOW,
    },
    newId: randomUUID,
    flows: new FlowCache(),
  };
  return { deps };
}

export interface RunningServer {
  url: string;
  ctx: AppContext;
  stop(): Promise<void>;
}

/** Starts everything: HTTP, the scheduler, and (embedded database) the CLI's way in. */
export async function startServer(env: Env, options: { clock?: Clock; webDir?: string } = {}): Promise<RunningServer> {
  const { database, lock } = await openConfiguredDatabase(env);
  const ctx = createContext(database, env, options.clock);
  const controlToken = lock ? randomBytes(24).toString("base64url") : undefined;
  const metrics = new ServerMetrics(ctx.deps.db);
  let ticks: TickLoop | undefined;
  const app = await buildApp(ctx, {
    logLevel: env.LOG_LEVEL,
    webDir: options.webDir ?? defaultWebDir,
    controlToken,
    trustProxy: env.TRUST_PROXY,
    metrics,
    metricsToken: env.METRICS_TOKEN,
    scheduler: env.SCHEDULER === "on" ? () => ticks!.status() : undefined,
  });
  try {
    await startupStep("listen", () => app.listen({ port: env.PORT, host: env.HOST }));
  } catch (e) {
    await app.close();
    await database.close();
    lock?.release();
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  const url = `http://127.0.0.1:${port}`;
  lock?.update({ url, controlToken });
  // events are scored after they are stored: this process takes its share of the partitions
  const consumer = await startScoringConsumer(ctx.deps, env.DATABASE_URL, app.log);

  // node-cron fires in every process; the work itself is claimed in the database.
  ticks =
    env.SCHEDULER === "on"
      ? startTickLoop({
          expression: env.SCHEDULER_CRON,
          log: app.log,
          observe: (seconds, outcome) => metrics.tickDuration.observe({ outcome }, seconds),
          async run() {
            const r = await tick(ctx.deps, ctx.deps.clock.now());
            if (r.outbox.sent + r.outbox.dead + r.outbox.retried > 0) app.log.info({ tick: r }, "scheduler tick");
          },
        })
      : undefined;

  let stopped = false;
  return {
    url,
    ctx,
    async stop() {
      if (stopped) return;
      stopped = true;
      await ticks?.stop(); // a running tick finishes first: its transaction is never cut off
      await app.close();
      await consumer.stop();
      await ctx.deps.transport?.close();
      await database.close();
      lock?.release();
    },
  };
}
