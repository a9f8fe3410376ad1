import type { Transaction } from "kysely";
import { findAnonymousEvents, findIdentities, insertIdentities, lockVisitorKeys, type DB } from "@leadflow/db";

/**
 * Identity resolution (DESIGN §2, docs/tracking.md "Identity"). A visitor is known by its
 * anonymous id and, from the Segment API, by a `userId`, kept as the key `user:<userId>`. The
 * table `identities` maps such keys to a lead, each key once; events are never rewritten.
 */
export const userKey = (userId: string) => `user:${userId}`;

export interface VisitorIds {
  anonymousId?: string;
  userId?: string;
}

/** Every key an event names its visitor by. */
export const visitorKeys = (ids: VisitorIds): string[] => [
  ...(ids.anonymousId ? [ids.anonymousId] : []),
  ...(ids.userId ? [userKey(ids.userId)] : []),
];

/**
 * The key an event is stored under (events.anonymous_id): the userId's when there is one, as it
 * outlives a browser's cookie; an identify naming it merges the event later.
 */
export const storedVisitorKey = (ids: VisitorIds): string | null => (ids.userId ? userKey(ids.userId) : (ids.anonymousId ?? null));

/**
 * The identities a batch needs, read once (no locks), then resolved event by event in input
 * order: a key an earlier event of the batch identified counts as mapped for the later ones.
 */
export class IdentityPlan {
  private constructor(private readonly mapped: Map<string, string>) {}

  static async load(trx: Transaction<DB>, events: readonly VisitorIds[]): Promise<IdentityPlan> {
    const keys = [...new Set(events.flatMap(visitorKeys))];
    await lockVisitorKeys(trx, keys);
    return new IdentityPlan(await findIdentities(trx, keys));
  }

  /** The leads the batch's keys were mapped to before it (to read with the batch's other leads). */
  knownLeadIds(): string[] {
    return [...new Set(this.mapped.values())];
  }

  /**
   * An event's lead: the one it names (by id or e-mail), else the one a key of it maps to; the
   * keys not mapped yet are planned for that lead and returned as `newKeys`. With no lead the
   * event stays anonymous. A key mapped to another lead keeps its lead.
   */
  resolve(named: string | null, ids: VisitorIds, exists: (leadId: string) => boolean): { leadId: string | null; newKeys: string[] } {
    const keys = visitorKeys(ids);
    const leadId = named ?? keys.map((k) => this.mapped.get(k)).find((id): id is string => id !== undefined && exists(id)) ?? null;
    if (!leadId) return { leadId, newKeys: [] };
    const newKeys = keys.filter((k) => !this.mapped.has(k));
    for (const k of newKeys) this.mapped.set(k, leadId);
    return { leadId, newKeys };
  }
}

/**
 * Maps the keys to the lead and returns the earlier anonymous events this newly credits, oldest
 * first, for the engine to apply at their own times. Keys mapped before (a second identify, a
 * concurrent batch that won) give nothing, so no event is scored twice.
 */
export async function mergeVisitor(trx: Transaction<DB>, leadId: string, keys: readonly string[], now: Date) {
  const mapped = await insertIdentities(trx, leadId, keys, now);
  return findAnonymousEvents(trx, mapped);
}
