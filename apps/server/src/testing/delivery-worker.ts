/**
 * A delivery process for the crash test: runs deliverDue in a loop against DATABASE_URL and
 * SMTP_URL until no job is left to deliver, then exits 0. The test SIGKILLs it at random moments.
 * argv[2]: milliseconds added to the clock, so a restarted worker may take over the jobs that a
 * killed one had leased (the lease is 5 minutes of clock time).
 */
import { randomUUID } from "node:crypto";
import { openDatabase } from "@leadflow/db";
import { createSmtpTransport } from "@leadflow/mailer";
import { deliverDue, FlowCache, type RuntimeDeps } from "@leadflow/runtime";
import { loadEnv } from "../env.js";

const env = loadEnv();
if (!env.DATABASE_URL || !env.SMTP_URL) throw new Error("the delivery worker needs DATABASE_URL and SMTP_URL");
const offsetMs = Number(process.argv[2] ?? 0);
const database = await openDatabase({ kind: "postgres", url: env.DATABASE_URL, poolSize: 2 });
const deps: RuntimeDeps = {
  db: database.db,
  clock: { now: () => new Date(Date.now() + offsetMs) },
  transport: createSmtpTransport(env.SMTP_URL),
  config: { publicUrl: "http://leadflow.test", mailFrom: env.MAIL_FROM, secret: env.SECRET, frequencyCap: null },
  newId: randomUUID,
  flows: new FlowCache(),
};
process.stdout.write("ready\n");

// bounded: a worker never loops forever, even if the test that started it is gone
for (let round = 0; round < 100_000; round++) {
  const r = await deliverDue(deps, deps.clock.now(), 10);
  if (r.sent + r.skipped + r.retried + r.dead + r.deferred > 0) continue;
  const left = await database.db
    .selectFrom("outbox_jobs")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "in", ["pending", "sending"])
    .executeTakeFirstOrThrow();
  if (Number(left.n) === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
await deps.transport!.close();
await database.close();
process.stdout.write("done\n");
