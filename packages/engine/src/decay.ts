import type { DecayPolicy } from "./types.js";

const DAY = 86_400_000;

/** What remains of a point after `elapsedMs` under a policy: 0.5^(t / half-life), or 1 when points do not fade. */
export function decayFactor(policy: DecayPolicy, elapsedMs: number): number {
  if (policy.kind !== "halfLife") return 1;
  if (elapsedMs === -Infinity) return Infinity;
  if (elapsedMs === Infinity) return 0;
  return 0.5 ** (elapsedMs / (policy.days * DAY));
}

/** A flow ledger entry as decay reads it; times in epoch milliseconds. */
export interface DecayEntry {
  id: string;
  delta: number;
  category: string | null;
  /** the instant its points count from (the event's time) */
  at: number;
  /** the entry's own expiry (score.add expiresAfterDays) */
  expiresAt: number | null;
  /**
   * when it was written (default `at`); a late entry (written after `at`) went into the scores
   * already decayed to what it was worth then: delta·f(processedAt − at)
   */
  processedAt?: number;
}

export interface DecayInput {
  engagement: number;
  categories: Record<string, number>;
  /** the instant decay was last applied up to; null = never (the scores are the plain sum of the ledger) */
  decayedAt: number | null;
  now: number;
  policy: DecayPolicy;
  /** flow entries written after decayedAt, not expired when written (in the stored scores at their worth when written) */
  fresh: DecayEntry[];
  /** flow entries not yet taken back whose expiry may have come */
  unexpired: DecayEntry[];
}

export interface DecayOutput {
  engagement: number;
  categories: Record<string, number>;
  /** entries whose expiry came, with what they were worth when it came (to record as taken back) */
  expired: { entry: DecayEntry; at: number; value: number }[];
}

/** When an entry's points go: its own expiry or, under an `expire` policy, N days after it was written. */
export function expiryOf(policy: DecayPolicy, entry: DecayEntry): number | null {
  const byPolicy = policy.kind === "expire" ? entry.at + policy.days * DAY : null;
  if (entry.expiresAt === null) return byPolicy;
  return byPolicy === null ? entry.expiresAt : Math.min(entry.expiresAt, byPolicy);
}

/**
 * Engagement and category scores as of `now`. Exact whatever the tick frequency: the stored
 * scores are what decay left at `decayedAt` plus fresh entries at their worth when written
 * (full value, unless the event was late), and each point
 * is worth delta·f(now − written) with f multiplicative (f(a)·f(b) = f(a + b)), so applying it
 * once over 30 days or daily 30 times gives the same number, and again at the same `now` nothing.
 * An entry taken back removes delta·f(now − written): what it would still be worth.
 */
export function decayScores(input: DecayInput): DecayOutput {
  const { policy, now } = input;
  const f = (ms: number) => decayFactor(policy, Math.max(0, ms));
  const since = input.decayedAt === null ? Infinity : now - input.decayedAt;
  const carried = since <= 0 ? 1 : f(since);
  // what the stored scores hold apart from fresh entries decays as one; fresh ones each from their own time
  let engagement = input.engagement;
  const categories: Record<string, number> = { ...input.categories };
  const freshByCategory = new Map<string, number>();
  let freshTotal = 0;
  for (const e of input.fresh) {
    const stored = e.delta * f((e.processedAt ?? e.at) - e.at);
    freshTotal += stored;
    if (e.category !== null) freshByCategory.set(e.category, (freshByCategory.get(e.category) ?? 0) + stored);
  }
  engagement = carried === 1 ? engagement : (engagement - freshTotal) * carried;
  if (carried !== 1) {
    for (const [name, value] of Object.entries(categories)) categories[name] = (value - (freshByCategory.get(name) ?? 0)) * carried;
  }
  if (carried !== 1) {
    for (const e of input.fresh) {
      const v = e.delta * f(now - e.at);
      engagement += v;
      if (e.category !== null) categories[e.category] = (categories[e.category] ?? 0) + v;
    }
  }
  const expired: DecayOutput["expired"] = [];
  for (const e of input.unexpired) {
    const x = expiryOf(policy, e);
    if (x === null || x > now) continue;
    const worthNow = e.delta * f(now - e.at);
    engagement -= worthNow;
    if (e.category !== null) categories[e.category] = (categories[e.category] ?? 0) - worthNow;
    expired.push({ entry: e, at: x, value: e.delta * f(x - e.at) });
  }
  for (const [name, value] of Object.entries(categories)) if (Math.abs(value) < 1e-9) delete categories[name];
  return { engagement: Math.abs(engagement) < 1e-9 ? 0 : engagement, categories, expired };
}
