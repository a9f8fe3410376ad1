import type { RuntimeDeps } from "../deps.js";
import { scoreQueuedFor } from "../scoring/consumer-score.js";
import { appendEvents, type IngestResult } from "./append.js";

export { appendEvents, type AppendResult, type IngestResult } from "./append.js";

export const MAX_BATCH = 1000;

/**
 * Stores a batch (appendEvents) and scores its leads' queued events before returning, helping
 * along in-process rather than waiting for a consumer: a caller reads its writes (tracking, the
 * CLI, `?wait=true`, tests) with or without a consumer running. A lead's events still score in
 * queue order: its earlier queued events, from other batches, are scored first.
 */
export async function ingestEvents(deps: RuntimeDeps, events: unknown[]): Promise<IngestResult> {
  const { queued, ...result } = await appendEvents(deps, events);
  await scoreQueuedFor(deps, queued.leadIds);
  return result;
}
