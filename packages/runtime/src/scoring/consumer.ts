import { queuedLeadIds, rebalanceLeases, releaseLeases } from "@leadflow/db";
import type { RuntimeDeps } from "../deps.js";
import { onEventsQueued } from "./consumer-wake.js";
import { scoreLeads, SCORE_BATCH_EVENTS } from "./consumer-score.js";

export interface ConsumerOptions {
  /** this consumer's name in the lease table (unique per process) */
  owner: string;
  /** how long a lease lasts without a heartbeat: a dead process's partitions move on after it */
  leaseMs?: number;
  /** heartbeat (lease renewal and rebalancing) interval */
  heartbeatMs?: number;
  /** the longest sleep when idle (polling fallback, should a wake-up be lost) */
  pollMs?: number;
  /** events per scoring transaction */
  batchEvents?: number;
  /** cross-process wake-ups (PostgreSQL LISTEN): called with the wake function, returns stop */
  listen?: (wake: () => void) => Promise<() => Promise<void>>;
  onError?: (e: unknown) => void;
}

/**
 * A scoring consumer (issue 10): owns a fair share of the lead partitions through leases in the
 * database and scores their queued events in large batches, woken by appends in this process,
 * by LISTEN/NOTIFY across processes, and by polling as the fallback. Correctness does not rest
 * on the leases (scoreLeads locks the leads and takes events off the queue in its transaction);
 * they spread the work so that consumers do not wait on each other's leads.
 */
export class ScoringConsumer {
  private owned: number[] = [];
  private stopped = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;
  private stopListening?: () => Promise<void>;
  private unsubscribe?: () => void;
  scored = 0;

  constructor(private readonly deps: RuntimeDeps, private readonly options: ConsumerOptions) {}

  /** The partitions this consumer held at its last heartbeat. */
  partitions(): readonly number[] {
    return this.owned;
  }

  async start(): Promise<void> {
    this.unsubscribe = onEventsQueued(() => this.wake());
    if (this.options.listen) {
      try {
        this.stopListening = await this.options.listen(() => this.wake());
      } catch (e) {
        this.options.onError?.(e); // polling still finds the work
      }
    }
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
    this.unsubscribe?.();
    await this.stopListening?.();
    await releaseLeases(this.deps.db, this.options.owner).catch((e) => this.options.onError?.(e));
  }

  private wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    const heartbeatMs = this.options.heartbeatMs ?? 1000;
    const leaseMs = this.options.leaseMs ?? 5000;
    const pollMs = this.options.pollMs ?? 1000;
    let nextBeat = 0;
    while (!this.stopped) {
      try {
        if (Date.now() >= nextBeat) {
          this.owned = await rebalanceLeases(this.deps.db, this.options.owner, leaseMs);
          nextBeat = Date.now() + heartbeatMs;
        }
        this.woken = false;
        if ((await this.scoreOnce()) > 0) continue;
      } catch (e) {
        this.options.onError?.(e);
      }
      if (!this.woken && !this.stopped) await this.sleep(Math.max(1, Math.min(pollMs, nextBeat - Date.now())));
    }
  }

  /** One batch of the owned partitions' oldest queued events; how many were scored. */
  private async scoreOnce(): Promise<number> {
    const batch = this.options.batchEvents ?? SCORE_BATCH_EVENTS;
    const leads = await queuedLeadIds(this.deps.db, this.owned, batch);
    if (leads.length === 0) return 0;
    const r = await scoreLeads(this.deps, leads, batch);
    this.scored += r.scored;
    // leads another scorer emptied meanwhile: look again at once
    return r.scored > 0 ? r.scored : leads.length;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
