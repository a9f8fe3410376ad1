import { describe, expect, it } from "vitest";
import { countAttempt, SIGN_IN_RULES, tooManyAttempts, type ThrottleRule } from "./sign-in-throttle.js";
import { DUMMY_PASSWORD_HASH, hashPassword, passwordHashFor, verifyPassword } from "./credentials.js";

const t0 = new Date("2026-11-02T09:00:00Z");
const fresh: Parameters<typeof countAttempt>[1] = { failures: 0, lockedUntil: null, forgetAt: t0 };

/** n attempts one second apart, each made as soon as any lock allows */
function attempts(rule: ThrottleRule, n: number) {
  const waits: (number | null)[] = [];
  let state = { ...fresh };
  let now = t0;
  for (let i = 0; i < n; i++) {
    now = new Date(Math.max(now.getTime() + 1000, state.lockedUntil?.getTime() ?? 0));
    state = countAttempt(rule, state, now);
    waits.push(state.lockedUntil ? (state.lockedUntil.getTime() - now.getTime()) / 1000 : null);
  }
  return { waits, state, now };
}

describe("sign-in throttle rules", () => {
  it("lets an account try 5 times, then makes each attempt wait longer, up to 15-minute lock-outs", () => {
    const { waits } = attempts(SIGN_IN_RULES.account, 12);
    expect(waits).toEqual([null, null, null, null, 30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it("lets one address fail 20 times a minute; the 21st waits a minute, and going on locks it out longer", () => {
    const { waits } = attempts(SIGN_IN_RULES.ip, 26);
    expect(waits.slice(0, 19).every((w) => w === null)).toBe(true);
    expect(waits.slice(19)).toEqual([60, 120, 240, 480, 900, 900, 900]);
  });

  it("forgets the count once the key has been quiet for the rule's time after its last lock", () => {
    const rule = SIGN_IN_RULES.account;
    const { state } = attempts(rule, 5); // locked for 30 s
    const justBefore = new Date(state.forgetAt.getTime() - 1);
    expect(countAttempt(rule, state, justBefore).failures).toBe(6);
    expect(countAttempt(rule, state, state.forgetAt)).toEqual({ failures: 1, lockedUntil: null, forgetAt: new Date(state.forgetAt.getTime() + rule.quietMs) });
  });

  it("says how long to wait in whole minutes, with the seconds for Retry-After", () => {
    expect(tooManyAttempts(30).message).toBe("Too many attempts. Try again in 1 minute.");
    expect(tooManyAttempts(121).message).toBe("Too many attempts. Try again in 3 minutes.");
    expect(tooManyAttempts(121).details?.retryAfterSeconds).toBe(121);
    expect(tooManyAttempts(121).code).toBe("rate_limited");
  });
});

describe("the password check for an unknown e-mail", () => {
  it("uses a dummy hash shaped like a real one, so it costs the same scrypt", async () => {
    const real = await hashPassword("correct horse battery");
    expect(passwordHashFor({ password_hash: real })).toBe(real);
    expect(passwordHashFor(undefined)).toBe(DUMMY_PASSWORD_HASH);
    const shape = (h: string) => h.split("$").map((part, i) => (i === 0 ? part : Buffer.from(part, "base64").length));
    expect(shape(DUMMY_PASSWORD_HASH)).toEqual(shape(real)); // scheme, 16-byte salt, 64-byte hash
    expect(await verifyPassword("correct horse battery", real)).toBe(true);
    expect(await verifyPassword("correct horse battery", DUMMY_PASSWORD_HASH)).toBe(false);
    expect(await verifyPassword("", DUMMY_PASSWORD_HASH)).toBe(false);
  });

  it("never accepts a malformed stored hash", async () => {
    expect(await verifyPassword("x", "plain-text")).toBe(false);
    expect(await verifyPassword("x", "scrypt$$")).toBe(false);
  });
});
