import { countQueuedEvents } from "@leadflow/db";
import type { RuntimeDeps } from "../deps.js";
import { scoreQueuedFor } from "../scoring/consumer-score.js";
import { appendEvents, type IngestResult } from "./append.js";

/** How long `?wait=true` waits for its batch to be scored before answering 202. */
export const WAIT_LIMIT_MS = 30_000;

export interface ReceiveAnswer {
  /** 200: stored (and, with wait, scored); 202: stored, not all scored within the wait (`pending` say how many) */
  status: 200 | 202;
  body: IngestResult & { pending?: number };
}

/**
 * POST /api/v1/events: stores the batch and answers at once (the consumers score it), or with
 * `wait` once every accepted event is scored, helping along in-process. A wait bounded by
 * WAIT_LIMIT_MS (or a scoring failure) answers 202 with the count still pending: the events are
 * stored and the consumers score them; nothing accepted is lost.
 */
export async function receiveEvents(deps: RuntimeDeps, events: unknown[], wait: boolean, limitMs = WAIT_LIMIT_MS): Promise<ReceiveAnswer> {
  const { queued, ...body } = await appendEvents(deps, events);
  if (!wait || queued.eventIds.length === 0) return { status: 200, body };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const scoring = scoreQueuedFor(deps, queued.leadIds).then(() => true, () => false);
  const done = await Promise.race([scoring, new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), limitMs)))]);
  clearTimeout(timer);
  if (done) return { status: 200, body };
  return { status: 202, body: { ...body, pending: await countQueuedEvents(deps.db, queued.eventIds) } };
}
