/**
 * A scoring-consumer process for the consumer tests: runs a ScoringConsumer against DATABASE_URL
 * (LISTEN wake-ups, short leases so a killed worker's partitions move within seconds) until
 * SIGTERM, then stops cleanly. argv[2]: its owner name. Bounded: it exits after 3 minutes even
 * if the test that started it is gone.
 */
import { randomUUID } from "node:crypto";
import { listenForQueuedEvents, openDatabase } from "@leadflow/db";
import { FlowCache, ScoringConsumer, type RuntimeDeps } from "@leadflow/runtime";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("the consumer worker needs DATABASE_URL");
const owner = process.argv[2] ?? `worker-${process.pid}`;
const database = await openDatabase({ kind: "postgres", url, poolSize: 2 });
const deps: RuntimeDeps = {
  db: database.db,
  clock: { now: () => new Date() },
  config: { publicUrl: "http://leadflow.test", mailFrom: "Leadflow <hello@leadflow.test>", frequencyCap: null },
  newId: randomUUID,
  flows: new FlowCache(),
};
const consumer = new ScoringConsumer(deps, {
  owner,
  leaseMs: 2000,
  heartbeatMs: 300,
  pollMs: 200,
  batchEvents: 500,
  listen: (wake) => listenForQueuedEvents(url, wake),
  onError: (e) => process.stderr.write(`consumer error: ${(e as Error).message}\n`),
});
await consumer.start();
process.stdout.write("ready\n");

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  await consumer.stop();
  await database.close();
  process.exit(code);
}
process.on("SIGTERM", () => void stop(0));
setTimeout(() => void stop(3), 180_000).unref();
