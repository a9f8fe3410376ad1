import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@leadflow/db/testing";
import { liveLeases, PARTITIONS } from "@leadflow/db";
import { appendViews, depsFor, expectScoredOnce, publishCounter, queued, startWorker, until, type Worker } from "./testing/consumer-fixture.js";

const EVENTS = 6000;

describe("three consumer processes on one PostgreSQL", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const workers: Worker[] = [];
  beforeAll(async () => {
    database = await createTestDatabase("postgres");
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill("SIGKILL");
    await database?.close();
  });

  it("split the partitions; one killed, the others take its partitions; every event scored exactly once", async () => {
    const db = database.db;
    const deps = depsFor(db);
    await publishCounter(db);
    for (const name of ["a", "b", "c"]) workers.push(await startWorker(database.url!, name));

    // a fair split: all partitions owned, by the three, none holding more than its share
    const share = Math.ceil(PARTITIONS / 3);
    const split = async (owners: string[]) => {
      const leases = await liveLeases(db);
      const owned = [...leases.values()].reduce((n, parts) => n + parts.length, 0);
      return owned === PARTITIONS && leases.size === owners.length && owners.every((o) => (leases.get(o)?.length ?? 0) > 0) &&
        [...leases.values()].every((parts) => parts.length <= Math.ceil(PARTITIONS / owners.length));
    };
    await until(() => split(["a", "b", "c"]), 20_000, "three consumers to split the partitions");
    const before = await liveLeases(db);
    expect(before.get("a")!.length).toBeLessThanOrEqual(share);

    const ids = await appendViews(deps, 200, EVENTS, "split");
    await until(async () => (await queued(db)) < EVENTS, 30_000, "scoring to start");
    workers[0]!.child.kill("SIGKILL");
    await workers[0]!.exited;

    // b and c take a's partitions once its lease runs out (2 s), and share them
    await until(() => split(["b", "c"]), 20_000, "the other two to take the killed one's partitions");
    const after = await liveLeases(db);
    expect(after.has("a")).toBe(false);
    for (const part of before.get("a")!) expect(after.get("b")!.includes(part) || after.get("c")!.includes(part)).toBe(true);

    await until(async () => (await queued(db)) === 0, 90_000, "the queue to empty");
    for (const w of workers.slice(1)) {
      w.child.kill("SIGTERM");
      expect(await w.exited, w.stderr()).toBe(0);
    }
    await expectScoredOnce(db, ids);
  }, 180_000);
});
