import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { listenForQueuedEvents } from "@leadflow/db";
import { ScoringConsumer, type RuntimeDeps } from "@leadflow/runtime";

interface Log {
  error(obj: object, msg: string): void;
}

/**
 * The process's scoring consumer (issue 10). On PostgreSQL it LISTENs on a dedicated connection
 * so appends in any process wake it; on PGlite appends in this process wake it directly.
 */
export async function startScoringConsumer(deps: RuntimeDeps, databaseUrl: string | undefined, log: Log): Promise<ScoringConsumer> {
  const consumer = new ScoringConsumer(deps, {
    owner: `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
    listen: databaseUrl ? (wake) => listenForQueuedEvents(databaseUrl, wake, (e) => log.error({ err: e }, "event listener lost its connection")) : undefined,
    onError: (e) => log.error({ err: e }, "scoring consumer batch failed"),
  });
  await consumer.start();
  return consumer;
}
