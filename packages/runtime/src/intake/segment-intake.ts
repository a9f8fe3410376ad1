import { z } from "zod";
import type { Kysely } from "kysely";
import type { DB } from "@leadflow/db";
import type { RuntimeDeps } from "../deps.js";
import { AppError, invalidInput } from "../errors.js";
import { readSetting, saveSetting, Settings } from "../settings/settings-store.js";
import { ingestEvents, MAX_BATCH } from "./ingest.js";
import { siteKeyMayWrite } from "./site-intake.js";
import { EventNames, mapSegmentMessage, type MappedEvent } from "./segment-mapping.js";


export interface SegmentResult {
  success: true;
  accepted: number;
  duplicates: number;
  /** messages skipped, by their index in the call (0 for a single call) */
  errors: { index: number; messageId?: string; message: string }[];
}

/** The workspace's track-name → type mapping (empty until set). */
export async function loadEventNames(db: Kysely<DB>): Promise<EventNames> {
  return readSetting(db, Settings.eventNames);
}

export async function saveEventNames(db: Kysely<DB>, input: unknown): Promise<EventNames> {
  const parsed = z.object({ eventNames: EventNames }).safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues, "event names");
  return saveSetting(db, Settings.eventNames, parsed.data.eventNames);
}

/**
 * Segment messages (one call, or a batch's `batch` array) through the one ingest path. A bad
 * message is skipped and reported; the others are stored and scored (the SDKs expect 200 on
 * partial success and would resend the whole batch otherwise).
 */
export async function ingestSegment(
  deps: RuntimeDeps,
  messages: readonly unknown[],
  options: { call?: string; sentAt?: unknown },
): Promise<SegmentResult> {
  if (messages.length > MAX_BATCH) throw new AppError("invalid_input", `A batch may hold at most ${MAX_BATCH} messages.`);
  const ctx = { now: deps.clock.now(), sentAt: options.sentAt, eventNames: await loadEventNames(deps.db) };
  const errors: SegmentResult["errors"] = [];
  const events: MappedEvent[] = [];
  const indexOf: number[] = [];
  messages.forEach((raw, index) => {
    const r = mapSegmentMessage(raw, options.call, ctx);
    const messageId = messageIdOf(raw);
    if (!r.ok) errors.push({ index, ...(messageId ? { messageId } : {}), message: r.message });
    // the write key is a site key: what only Leadflow observes (opens, unsubscribes, deals) is refused
    else if (!siteKeyMayWrite(r.event.type)) {
      errors.push({ index, ...(messageId ? { messageId } : {}), message: `event: a write key cannot send ${r.event.type} events` });
    } else {
      events.push(r.event);
      indexOf.push(index);
    }
  });
  const result = events.length > 0 ? await ingestEvents(deps, events) : { accepted: 0, duplicates: 0, errors: [] };
  for (const e of result.errors) {
    const index = indexOf[e.index]!;
    const messageId = messageIdOf(messages[index]);
    errors.push({ index, ...(messageId ? { messageId } : {}), message: e.message });
  }
  return { success: true, accepted: result.accepted, duplicates: result.duplicates, errors: errors.sort((a, b) => a.index - b.index) };
}

const messageIdOf = (raw: unknown): string | undefined => {
  const id = typeof raw === "object" && raw !== null ? (raw as { messageId?: unknown }).messageId : undefined;
  return typeof id === "string" ? id.slice(0, 200) : undefined;
};
