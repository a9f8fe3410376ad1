import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { deleteForgottenThrottles, deleteThrottle, forgiveThrottle, lockThrottles, saveThrottle } from "./sign-in-throttle.repository.js";

const t = (minutes: number) => new Date(Date.UTC(2026, 10, 2, 9, minutes));

describe.each(testDatabaseKinds)("sign-in throttle repository on %s", (kind) => {
  it("creates absent counters as forgotten, saves and forgives one attempt, and deletes the long-quiet ones", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      const lock = (ids: string[], now: Date) => db.transaction().execute((trx) => lockThrottles(trx, ids, now));
      const save = (state: Parameters<typeof saveThrottle>[1]) => db.transaction().execute((trx) => saveThrottle(trx, state));
      const fresh = await lock(["b", "a"], t(0));
      expect(fresh).toEqual([
        { id: "a", failures: 0, lockedUntil: null, forgetAt: t(0) },
        { id: "b", failures: 0, lockedUntil: null, forgetAt: t(0) },
      ]);
      await save({ id: "a", failures: 5, lockedUntil: t(5), forgetAt: t(20) });
      await save({ id: "b", failures: 1, lockedUntil: null, forgetAt: t(1) });
      const [a] = await lock(["a"], t(2));
      expect(a).toEqual({ id: "a", failures: 5, lockedUntil: t(5), forgetAt: t(20) });

      // the attempt that set the lock at t(5) is taken back: the lock goes back to none
      await forgiveThrottle(db, "a", t(5), null);
      expect((await lock(["a"], t(2)))[0]).toMatchObject({ failures: 4, lockedUntil: null });
      // a lock set by a later attempt stays
      await save({ id: "a", failures: 6, lockedUntil: t(9), forgetAt: t(30) });
      await forgiveThrottle(db, "a", t(5), null);
      expect((await lock(["a"], t(2)))[0]).toMatchObject({ failures: 5, lockedUntil: t(9) });

      await deleteForgottenThrottles(db, t(10), 50); // b was forgotten at t(1)
      expect((await db.selectFrom("sign_in_throttles").select("id").execute()).map((r) => r.id)).toEqual(["a"]);
      await deleteThrottle(db, "a");
      expect(await db.selectFrom("sign_in_throttles").select("id").execute()).toEqual([]);
    } finally {
      await close();
    }
  });
});
