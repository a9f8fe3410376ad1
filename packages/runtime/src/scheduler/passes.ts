import type { DB, Kysely, Transaction } from "@leadflow/db";
import { withRetry } from "../retry.js";

/** How much one pass does per tick: leads per transaction, transactions per call. */
export interface PassOptions {
  /** leads per transaction */
  chunk?: number;
  /** transactions per call, so one tick does bounded work; the rest waits for the next tick */
  maxChunks?: number;
}

/** A pass's sizes with the defaults filled in (1,000 leads a chunk, 20 chunks a tick unless said). */
export function passSize(options: PassOptions, maxChunks = 20): Required<PassOptions> {
  return { chunk: options.chunk ?? 1000, maxChunks: options.maxChunks ?? maxChunks };
}

/** The id before every uuid: where a pass in id order starts. */
export const FIRST_ID = "00000000-0000-0000-0000-000000000000";

/**
 * One trigger's pass: a transaction per chunk of leads (retried when it loses a race) until a
 * chunk comes back short or `maxChunks` ran; adds what each chunk did to `report`.
 */
export async function passInChunks(
  db: Kysely<DB>,
  report: { leads: number; runs: number },
  chunk: number,
  maxChunks: number,
  runChunk: (trx: Transaction<DB>) => Promise<{ leads: number; runs: number }>,
): Promise<void> {
  for (let i = 0; i < maxChunks; i++) {
    const r = await withRetry(() => db.transaction().execute(runChunk));
    report.leads += r.leads;
    report.runs += r.runs;
    if (r.leads < chunk) return;
  }
}
