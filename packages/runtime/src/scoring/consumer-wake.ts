/**
 * In-process wake-ups of scoring consumers: an append in this process wakes the consumers of this
 * process at once (PGlite has no other; on PostgreSQL, NOTIFY wakes the other processes').
 */
const wakers = new Set<() => void>();

export function onEventsQueued(wake: () => void): () => void {
  wakers.add(wake);
  return () => wakers.delete(wake);
}

export function wakeConsumers(): void {
  for (const wake of wakers) wake();
}
