import type { NodeConfig } from "@leadflow/flow";
import type { Rep } from "./types.js";

export interface RepPick {
  /** index into reps */
  index: number;
  /** round-robin cursor after the pick */
  cursor: number;
}

const hasRoom = (r: Rep): boolean => r.capacity === null || r.load < r.capacity;

function leastLoaded(reps: readonly Rep[], ok: (r: Rep) => boolean): number {
  let best = -1;
  reps.forEach((r, i) => {
    if (ok(r) && (best < 0 || r.load < reps[best]!.load)) best = i;
  });
  return best;
}

/**
 * Chooses a rep for a lead: active, in the pool (when given), below capacity.
 * Round robin walks reps from the cursor and leaves it just past the chosen rep;
 * the other strategies leave it where it was. Null when nobody is eligible.
 */
export function pickRep(
  reps: readonly Rep[],
  cursor: number,
  config: NodeConfig<"sales.assign">,
  properties: Record<string, unknown>,
): RepPick | null {
  const pool = config.pool ? new Set(config.pool) : null;
  const eligible = (r: Rep) => r.active && (!pool || pool.has(r.id)) && hasRoom(r);
  const n = reps.length;
  if (n === 0) return null;
  switch (config.strategy) {
    case "round_robin": {
      const from = ((cursor % n) + n) % n;
      for (let k = 0; k < n; k++) {
        const i = (from + k) % n;
        if (eligible(reps[i]!)) return { index: i, cursor: (i + 1) % n };
      }
      return null;
    }
    case "least_loaded": {
      const i = leastLoaded(reps, eligible);
      return i < 0 ? null : { index: i, cursor };
    }
    case "territory": {
      const value = properties[config.property];
      if (value === undefined || value === null || value === "") return null;
      const wanted = String(value).toLowerCase();
      const i = leastLoaded(reps, (r) => eligible(r) && r.territories.some((t) => t.toLowerCase() === wanted));
      return i < 0 ? null : { index: i, cursor };
    }
  }
}
