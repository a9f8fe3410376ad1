import type { Kysely, Transaction } from "kysely";
import type { DB } from "../tables.js";

/** One counter of sign-in attempts (per account or per client address). */
export interface ThrottleState {
  id: string;
  failures: number;
  lockedUntil: Date | null;
  forgetAt: Date;
}

const toState = (row: { id: string; failures: number; locked_until: Date | string | null; forget_at: Date | string }): ThrottleState => ({
  id: row.id,
  failures: row.failures,
  lockedUntil: row.locked_until === null ? null : new Date(row.locked_until),
  forgetAt: new Date(row.forget_at),
});

/**
 * Locks the counters for the rest of the transaction, creating absent ones as already
 * forgotten (forget_at = now). Ids are locked in sorted order, so two sign-ins that share a
 * key wait for each other instead of deadlocking.
 */
export async function lockThrottles(trx: Transaction<DB>, ids: readonly string[], now: Date): Promise<ThrottleState[]> {
  const states: ThrottleState[] = [];
  for (const id of [...ids].sort()) {
    const row = await trx
      .insertInto("sign_in_throttles")
      .values({ id, failures: 0, locked_until: null, forget_at: now })
      // a no-op update, so that an existing row is locked and returned too
      .onConflict((oc) => oc.column("id").doUpdateSet((eb) => ({ id: eb.ref("excluded.id") })))
      .returningAll()
      .executeTakeFirstOrThrow();
    states.push(toState(row));
  }
  return states;
}

export async function saveThrottle(trx: Transaction<DB>, state: ThrottleState): Promise<void> {
  await trx
    .updateTable("sign_in_throttles")
    .set({ failures: state.failures, locked_until: state.lockedUntil, forget_at: state.forgetAt })
    .where("id", "=", state.id)
    .execute();
}

export async function deleteThrottle(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom("sign_in_throttles").where("id", "=", id).execute();
}

/**
 * Takes one counted attempt back. The lock that attempt set (if no later attempt replaced it)
 * goes back to what it was before.
 */
export async function forgiveThrottle(db: Kysely<DB>, id: string, lockSet: Date | null, lockBefore: Date | null): Promise<void> {
  await db
    .updateTable("sign_in_throttles")
    .set((eb) => ({
      failures: eb.fn("greatest", [eb("failures", "-", 1), eb.lit(0)]),
      locked_until:
        lockSet === null
          ? eb.ref("locked_until")
          : eb.case().when("locked_until", "=", lockSet).then(lockBefore).else(eb.ref("locked_until")).end(),
    }))
    .where("id", "=", id)
    .execute();
}

/** Deletes up to `limit` counters nobody needs any more. */
export async function deleteForgottenThrottles(db: Kysely<DB>, now: Date, limit: number): Promise<void> {
  await db
    .deleteFrom("sign_in_throttles")
    .where("id", "in", (eb) => eb.selectFrom("sign_in_throttles").select("id").where("forget_at", "<", now).orderBy("forget_at").limit(limit))
    // checked again on the row itself: a sign-in may have renewed it since the subquery read it
    .where("forget_at", "<", now)
    .execute();
}
