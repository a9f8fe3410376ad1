import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@leadflow/db/testing";
import { appendViews, depsFor, expectScoredOnce, publishCounter, queued, startWorker, until } from "./testing/consumer-fixture.js";

const EVENTS = 6000;
const KILLS = 5;

describe("a scoring consumer SIGKILLed mid-batch (PostgreSQL, separate processes)", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase("postgres");
  });
  afterAll(() => database?.close());

  it(`scores each of ${EVENTS} accepted events exactly once, in order per lead, across ${KILLS} kills`, async () => {
    const db = database.db;
    const deps = depsFor(db);
    await publishCounter(db);
    const ids = await appendViews(deps, 60, EVENTS, "crash");
    expect(await queued(db)).toBe(EVENTS);

    let kills = 0;
    let killedMidway = 0;
    for (let run = 0; run < KILLS; run++) {
      const w = await startWorker(database.url!, `crash-${run}`);
      const before = await queued(db);
      // kill once it has scored something (a batch is in flight most of the time then)
      await until(async () => (await queued(db)) < before || w.child.exitCode !== null, 30_000, "the worker to score");
      await new Promise((r) => setTimeout(r, Math.random() * 150));
      w.child.kill("SIGKILL");
      await w.exited;
      kills++;
      const left = await queued(db);
      if (left > 0 && left < before) killedMidway++;
      if (left === 0) break;
    }
    // a last worker finishes the queue; the killed ones' partitions are free once their leases run out
    const last = await startWorker(database.url!, "crash-last");
    await until(async () => (await queued(db)) === 0, 90_000, "the queue to empty");
    last.child.kill("SIGTERM");
    expect(await last.exited, last.stderr()).toBe(0);

    console.log(`consumer crash test: ${kills} SIGKILLs, ${killedMidway} with the queue part-scored`);
    expect(kills).toBeGreaterThan(0);
    expect(killedMidway).toBeGreaterThan(0);
    await expectScoredOnce(db, ids);
  }, 240_000);
});
