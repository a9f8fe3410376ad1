/** Builders shared by this package's tests. */
import { compile, compileFlowSet, validate, type CompiledFlowSet } from "@leadflow/flow";
import { defaultScoringModel } from "./tiers.js";
import type { Effect, EngineContext, EngineEvent, EngineResult, LeadState, Rep } from "./types.js";

export const NOW = new Date("2026-03-02T10:00:00.000Z"); // a Monday

export function flows(...docs: unknown[]): CompiledFlowSet {
  return compileFlowSet(
    docs.map((d) => {
      const r = validate(d);
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      return compile(r.value, 1);
    }),
  );
}

export function lead(overrides: Partial<LeadState> = {}): LeadState {
  return {
    id: "lead-1",
    email: "anna@example.com",
    properties: {},
    stage: "lead",
    status: "active",
    ownerId: null,
    fit: 0,
    engagement: 0,
    categories: {},
    tier: "Cold",
    lastActivityAt: null,
    flowState: { thresholds: {}, entries: {} },
    ...overrides,
  };
}

export function rep(id: string, overrides: Partial<Rep> = {}): Rep {
  return { id, name: id, email: `${id}@example.com`, territories: [], active: true, capacity: null, load: 0, ...overrides };
}

export function context(set: CompiledFlowSet, overrides: Partial<EngineContext> = {}): EngineContext {
  let n = 0;
  return { now: NOW, flows: set, model: defaultScoringModel, reps: [], rrCursor: 0, newId: () => `id-${++n}`, ...overrides };
}

let eventCounter = 0;
export function event(type: string, properties: Record<string, unknown> = {}): EngineEvent {
  return { id: `ev-${++eventCounter}`, type, properties, occurredAt: NOW.toISOString() };
}

export const ofKind = <K extends Effect["kind"]>(r: EngineResult | Effect[], kind: K): Extract<Effect, { kind: K }>[] =>
  (Array.isArray(r) ? r : r.effects).filter((e): e is Extract<Effect, { kind: K }> => e.kind === kind);

/** A flow: one trigger.event, then the given nodes in a chain. */
export function chain(id: string, eventType: string, nodes: { id: string; type: string; config?: unknown }[], extra: Record<string, unknown> = {}) {
  const all = [{ id: "t", type: "trigger.event", config: { eventType } }, ...nodes];
  return {
    id,
    name: id,
    nodes: all,
    edges: all.slice(1).map((n, i) => ({ from: all[i]!.id, to: n.id })),
    ...extra,
  };
}
