import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import {
  deleteForgottenThrottles,
  deleteThrottle,
  forgiveThrottle,
  lockThrottles,
  saveThrottle,
  type DB,
  type ThrottleState,
} from "@leadflow/db";
import { AppError } from "../errors.js";

/**
 * How many sign-in attempts a key may make before each further one must wait, and for how long.
 * A key's count is forgotten once it has been quiet (no attempt, no lock) for `quietMs`.
 */
export interface ThrottleRule {
  /** attempts counted before the first wait */
  limit: number;
  /** the first wait; each further attempt doubles it, up to `maxWaitMs` */
  firstWaitMs: number;
  maxWaitMs: number;
  quietMs: number;
}

const MINUTE = 60_000;

/**
 * Per account (the lower-cased e-mail, whether or not a user has it): 5 tries, then waits of
 * 30 s, 1, 2, 4, 8 minutes, then 15-minute lock-outs. Per client address: 20 failures a minute
 * (an office behind one address has room), then 1, 2, 4, 8, 15 minutes. Lock-outs outlast the
 * quiet time, so someone who keeps guessing stays locked out.
 */
export const SIGN_IN_RULES = {
  account: { limit: 5, firstWaitMs: 30_000, maxWaitMs: 15 * MINUTE, quietMs: 15 * MINUTE },
  ip: { limit: 20, firstWaitMs: MINUTE, maxWaitMs: 15 * MINUTE, quietMs: MINUTE },
} as const satisfies Record<string, ThrottleRule>;

export type ThrottleScope = keyof typeof SIGN_IN_RULES;

type Counter = Omit<ThrottleState, "id">;

/**
 * The counter after one more attempt. The attempt counts before its password is checked (a
 * success takes it back), so parallel guesses cannot all slip in before the first is counted.
 */
export function countAttempt(rule: ThrottleRule, before: Counter, now: Date): Counter {
  const failures = (now >= before.forgetAt ? 0 : before.failures) + 1;
  const over = failures - rule.limit;
  const lockedUntil = over >= 0 ? new Date(now.getTime() + Math.min(rule.firstWaitMs * 2 ** over, rule.maxWaitMs)) : null;
  return { failures, lockedUntil, forgetAt: new Date((lockedUntil ?? now).getTime() + rule.quietMs) };
}

/** "Try again in 3 minutes." */
export function tooManyAttempts(retryAfterSeconds: number): AppError {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return new AppError("rate_limited", `Too many attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`, { retryAfterSeconds });
}

const keyId = (scope: ThrottleScope, value: string) => createHash("sha256").update(`${scope}:${value}`).digest("hex");

/** What a sign-in counted, so that a success can take it back. */
export interface SignInReservation {
  accountId: string;
  ip: { id: string; lockSet: Date | null; lockBefore: Date | null };
}

/** Rows of long-quiet keys removed per sign-in, so the table never keeps growing. */
const CLEANUP_BATCH = 50;

/**
 * Counts one sign-in attempt for the account and the client address, or throws `rate_limited`
 * (nothing counted) while either is locked out: a correct password waits too.
 */
export async function reserveSignInAttempt(db: Kysely<DB>, subject: { email: string; ip: string }, now: Date): Promise<SignInReservation> {
  const accountId = keyId("account", subject.email.toLowerCase());
  const ipId = keyId("ip", subject.ip);
  const scopeOf = (id: string): ThrottleScope => (id === accountId ? "account" : "ip");
  const outcome = await db.transaction().execute(async (trx) => {
    const states = await lockThrottles(trx, [accountId, ipId], now);
    const waitMs = Math.max(0, ...states.map((s) => (s.lockedUntil ? s.lockedUntil.getTime() - now.getTime() : 0)));
    if (waitMs > 0) return { ok: false, retryAfterSeconds: Math.ceil(waitMs / 1000) } as const;
    let ip: SignInReservation["ip"] = { id: ipId, lockSet: null, lockBefore: null };
    for (const state of states) {
      const next = { id: state.id, ...countAttempt(SIGN_IN_RULES[scopeOf(state.id)], state, now) };
      await saveThrottle(trx, next);
      if (state.id === ipId) ip = { id: ipId, lockSet: next.lockedUntil, lockBefore: state.lockedUntil };
    }
    return { ok: true, reservation: { accountId, ip } } as const;
  });
  await deleteForgottenThrottles(db, now, CLEANUP_BATCH);
  if (!outcome.ok) throw tooManyAttempts(outcome.retryAfterSeconds);
  return outcome.reservation;
}

/** After a correct password: the account starts afresh; the address gets its attempt back. */
export async function forgiveSignInAttempt(db: Kysely<DB>, reservation: SignInReservation): Promise<void> {
  await deleteThrottle(db, reservation.accountId);
  await forgiveThrottle(db, reservation.ip.id, reservation.ip.lockSet, reservation.ip.lockBefore);
}
