import type { Condition } from "./condition.schema.js";
import { asNumber, valueTest } from "./condition-compiler.js";
import { lower } from "./lower.js";

/**
 * One event type's trigger tests, specialised: the event properties they name (by plain name)
 * are read once per event into slots, and lowercased once when a text operator needs it, instead
 * of once per condition (the bench's page views have 31 triggers, 25 of them on `url`).
 * The slots are this plan's scratch, filled by load() and read by the tests that follow it; the
 * engine is synchronous, so one event's tests never interleave with another's.
 */
export class EventPlan {
  readonly names: string[] = [];
  readonly raw: unknown[] = [];
  private readonly low: (string | undefined)[] = [];

  /** The slot of a property name, added on first use. */
  slot(name: string): number {
    const i = this.names.indexOf(name);
    if (i >= 0) return i;
    this.names.push(name);
    this.raw.push(undefined);
    this.low.push(undefined);
    return this.names.length - 1;
  }

  /** Reads the event's properties into the slots (what `event.properties.<name>` reads). */
  load(properties: Record<string, unknown> | undefined): void {
    for (let i = 0; i < this.names.length; i++) {
      this.raw[i] = properties?.[this.names[i]!];
      this.low[i] = undefined;
    }
  }

  /** The slot's string value lowercased, once per event. */
  lowered(i: number, value: string): string {
    return (this.low[i] ??= lower(value));
  }
}

export type PlanTest = (plan: EventPlan) => boolean;

/** The property a plan can read for a field: `event.properties.<name>` with a plain name. */
function planField(field: string): string | null {
  if (!field.startsWith("event.properties.")) return null;
  const name = field.slice("event.properties.".length);
  return name.includes(".") ? null : name;
}

/** One condition against its slot, with the answer compileCondition's closure gives (its valueTest for other kinds). */
function planCondition(plan: EventPlan, c: Pick<Condition, "field" | "op" | "value">, name: string): PlanTest {
  const k = plan.slot(name);
  const missing = (a: unknown) => a === undefined || a === null || a === "";
  if (c.op === "exists") return (p) => !missing(p.raw[k]);
  if (c.op === "notExists") return (p) => missing(p.raw[k]);
  const test = valueTest(c);
  const general: PlanTest = (p) => {
    const a = p.raw[k];
    return !missing(a) && test(a);
  };
  const v = c.value;
  if (v === undefined || Array.isArray(v)) return general;
  const op = c.op;
  if (op === "contains" || op === "startsWith" || op === "endsWith" || (op === "eq" && typeof v !== "number")) {
    const text = lower(v);
    return (p) => {
      const a = p.raw[k];
      if (typeof a !== "string") return a !== undefined && a !== null && test(a);
      if (a === "") return false;
      const l = p.lowered(k, a);
      return op === "contains" ? l.includes(text) : op === "eq" ? l === text : op === "startsWith" ? l.startsWith(text) : l.endsWith(text);
    };
  }
  if (op === "gt" || op === "gte" || op === "lt" || op === "lte") {
    const limit = asNumber(v);
    if (Number.isNaN(limit)) return general;
    return (p) => {
      const a = p.raw[k];
      if (typeof a !== "number") return !missing(a) && test(a);
      return op === "gt" ? a > limit : op === "gte" ? a >= limit : op === "lt" ? a < limit : a <= limit;
    };
  }
  return general;
}

/**
 * A trigger.event's `where` (all must hold) as a plan test, or null when a condition names
 * anything but an event property by plain name (the trigger keeps its ordinary test).
 */
export function planWhere(plan: EventPlan, where: readonly Pick<Condition, "field" | "op" | "value" | "where">[]): PlanTest | null {
  const names = where.map((c) => (c.where && c.where.length > 0 ? null : planField(c.field)));
  if (names.some((n) => n === null)) return null;
  const tests = where.map((c, i) => planCondition(plan, c, names[i]!));
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0]!;
  return (p) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i]!(p)) return false;
    return true;
  };
}
