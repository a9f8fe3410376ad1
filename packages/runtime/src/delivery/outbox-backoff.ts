export const MAX_ATTEMPTS = 6;
const BASE_BACKOFF_MS = 60_000;

/** Exponential backoff with ±25% jitter, so retries of many jobs do not arrive together. */
export function backoffMs(attempt: number, random: number): number {
  const base = BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1);
  return Math.round(base * (0.75 + random * 0.5));
}
