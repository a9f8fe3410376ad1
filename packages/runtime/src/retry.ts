/** PostgreSQL errors where running the transaction again is the fix: deadlock, serialization failure. */
const RETRYABLE_SQLSTATES = new Set(["40P01", "40001"]);

function isRetryable(e: unknown): boolean {
  const err = e as { code?: string; retryable?: boolean };
  return err?.retryable === true || (typeof err?.code === "string" && RETRYABLE_SQLSTATES.has(err.code));
}

/** Runs a transaction, again (up to `tries` times) when it lost a race that a retry resolves. */
export async function withRetry<T>(run: () => Promise<T>, tries = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (attempt >= tries || !isRetryable(e)) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}
