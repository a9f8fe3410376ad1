/**
 * applyEvent's fast paths (one shared context for event-only tests, the lead's context reused until
 * a run starts, copy on write, remembered lowercase values, RE2's literal prefilter, the ISO fast
 * parse) against a straightforward evaluation: every trigger of the event's type tested with a
 * condition evaluator written out here, and each passing trigger run through runTrigger on a deep
 * copy. Random rule sets in the shape of the bench's 48 rules plus the gallery's hand-off flow,
 * random events in sequence per lead. Seeded (fast-check is not a dependency of this package).
 */
import { describe, expect, it } from "vitest";
import { galleryFlows } from "@leadflow/flow";
import { applyEvent } from "./apply-event.js";
import { isEngagementEvent } from "./engagement.js";
import { runTrigger } from "./run-trigger.js";
import { context, flows, lead, NOW, rep } from "./test-fixtures.js";
import type { EngineContext, EngineEvent, EngineResult, LeadState } from "./types.js";

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

interface Cond {
  field: string;
  op: "eq" | "contains" | "startsWith" | "endsWith" | "matches" | "in" | "gt" | "gte" | "lt";
  value: string | number | string[];
}

const TYPES = ["page_view", "form_submit", "demo_request"] as const;
const URLS = [
  "https://example.com/pricing", "https://Example.com/Pricing?plan=PRO", "https://example.com/docs/v2/flows", "https://example.com/docs/api",
  "https://example.com/blog/x", "https://example.com/files/a.PDF", "https://example.com/", "", "/pricing/enterprise",
];
const STRINGS = ["google", "LinkedIn", "g2", "capterra", "newsletter", "contact", "trial", "webinar-signup", "", "42"];
const NUMBERS = [0, 5, 30, 60, 120, 301, "75", " 200 ", "abc"];
const PATTERNS = ["/docs/v[0-9]+/", "^https://example\\.com/p", "\\.pdf$", "pric(e|ing)", "blog/[a-z]+"];

function randomCond(rand: Rand): Cond {
  const r = rand();
  if (r < 0.45) {
    const op = pick(rand, ["eq", "contains", "startsWith", "endsWith", "matches"] as const);
    const value = op === "matches" ? pick(rand, PATTERNS) : op === "eq" ? pick(rand, URLS.filter((u) => u !== "")) : pick(rand, ["/pricing", "/docs", "https://example.com/", ".pdf", "PRICING"]);
    return { field: "event.properties.url", op, value };
  }
  if (r < 0.65) {
    const op = pick(rand, ["eq", "contains", "in"] as const);
    const prop = pick(rand, ["referrer", "form", "utm_source"]);
    const value = op === "in" ? [pick(rand, STRINGS.filter((s) => s !== "")), pick(rand, STRINGS.filter((s) => s !== ""))] : pick(rand, STRINGS.filter((s) => s !== ""));
    return { field: `event.properties.${prop}`, op, value };
  }
  if (r < 0.85) return { field: `event.properties.${pick(rand, ["timeOnPage", "scrollDepth"])}`, op: pick(rand, ["gt", "gte", "lt"] as const), value: pick(rand, [10, 60, 120, 300]) };
  // fields of the lead: their tests see the scores earlier runs of the same event gave
  if (r < 0.93) return { field: "score.total", op: pick(rand, ["gte", "lt"] as const), value: pick(rand, [10, 25, 50]) };
  return { field: "lead.country", op: "in", value: ["HU", "at"] };
}

function rulesFlow(rand: Rand, id: string) {
  const nodes: unknown[] = [];
  const edges: unknown[] = [];
  const count = 1 + Math.floor(rand() * 40);
  for (let i = 0; i < count; i++) {
    const where = Array.from({ length: Math.floor(rand() * 3) }, () => randomCond(rand));
    nodes.push({ id: `t${i}`, type: "trigger.event", config: { eventType: pick(rand, TYPES), ...(where.length ? { where } : {}) } });
    nodes.push({ id: `p${i}`, type: "score.add", config: { points: pick(rand, [1, 2, 5, 10, -3]), category: pick(rand, ["pages", "forms"]) } });
    edges.push({ from: `t${i}`, to: `p${i}` });
  }
  return { id, name: id, reentry: pick(rand, ["always", "always", "once"]), nodes, edges };
}

const asNumber = (v: unknown): number => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN);
const low = (v: unknown) => String(v).toLowerCase();

/** The documented semantics, written out (docs/conditions.md): missing is false, text ignores case, numbers compare as numbers. */
function holds(c: Cond, l: LeadState, e: EngineEvent): boolean {
  const v = c.field.startsWith("event.properties.") ? e.properties[c.field.slice(17)]
    : c.field === "score.total" ? l.fit + l.engagement : l.properties[c.field.slice(5)];
  if (v === undefined || v === null || v === "") return false;
  const x = c.value;
  switch (c.op) {
    case "eq":
      if (typeof x === "number") return asNumber(v) === x;
      return typeof v === "number" ? v === asNumber(x) : low(v) === low(x);
    case "contains": return low(v).includes(low(x));
    case "startsWith": return low(v).startsWith(low(x));
    case "endsWith": return low(v).endsWith(low(x));
    case "matches": return new RegExp(String(x), "i").test(String(v));
    case "in": return (x as string[]).some((s) => low(s) === low(v));
    case "gt": return asNumber(v) > (x as number);
    case "gte": return asNumber(v) >= (x as number);
    case "lt": return asNumber(v) < (x as number);
  }
}

/** The straightforward evaluation: deep copies, a fresh test per trigger, one runTrigger per passing trigger. */
function reference(ctx: EngineContext, docs: { id: string; nodes: any[] }[], input: LeadState, e: EngineEvent): EngineResult {
  let cur: LeadState = JSON.parse(JSON.stringify(input));
  const credit = Math.min(Date.parse(e.occurredAt), ctx.now.getTime());
  if (isEngagementEvent(e.type, e.properties) && (cur.lastActivityAt === null || credit > Date.parse(cur.lastActivityAt))) {
    cur.lastActivityAt = new Date(credit).toISOString();
    delete cur.flowState.inactive;
  }
  const effects: EngineResult["effects"] = [];
  let step = { ...ctx };
  for (const doc of docs) {
    for (const node of doc.nodes) {
      if (node.type !== "trigger.event" || node.config.eventType !== e.type) continue;
      if (!(node.config.where ?? []).every((c: Cond) => holds(c, cur, e))) continue;
      const r = runTrigger(step, cur, { flowId: doc.id, nodeId: node.id }, e);
      // runTrigger credits at now; applyEvent at the event's time (no decay here, so only `at` differs)
      for (const f of r.effects) effects.push(f.kind === "ledger" ? { ...f, at: new Date(credit).toISOString() } : f);
      cur = r.lead;
      step = { ...step, rrCursor: r.rrCursor, reps: r.reps };
    }
  }
  return { lead: cur, effects, rrCursor: step.rrCursor, reps: step.reps };
}

function randomEvent(rand: Rand, i: number): EngineEvent {
  const type = pick(rand, TYPES);
  const properties: Record<string, unknown> = {};
  if (rand() < 0.9) properties.url = pick(rand, URLS);
  for (const p of ["referrer", "form", "utm_source"]) if (rand() < 0.5) properties[p] = pick(rand, STRINGS);
  for (const p of ["timeOnPage", "scrollDepth"]) if (rand() < 0.7) properties[p] = pick(rand, NUMBERS);
  // mostly in order around now; some late (in the past), some ahead of the clock
  const at = NOW.getTime() + Math.floor((rand() - 0.3) * 86_400_000);
  return { id: `ev-${i}`, type, properties, occurredAt: new Date(at).toISOString() };
}

describe("applyEvent's fast paths", () => {
  it("give exactly the straightforward evaluation's result, for random rule sets and event sequences", () => {
    const handOff = galleryFlows.find((g) => g.id === "hand-off")!.document;
    const rand = prng(20261201);
    for (let round = 0; round < 150; round++) {
      const docs = [rulesFlow(rand, "rules-a"), handOff, rulesFlow(rand, "rules-b")] as { id: string; nodes: any[] }[];
      const set = flows(...docs);
      const reps = [rep("r1"), rep("r2")];
      const fast = context(set, { reps });
      const slow = context(set, { reps });
      let a = lead({ properties: { country: pick(rand, ["HU", "AT", "US", ""]) } });
      let b: LeadState = JSON.parse(JSON.stringify(a));
      for (let i = 0; i < 25; i++) {
        const e = randomEvent(rand, i);
        const before = JSON.stringify(a);
        const got = applyEvent(fast, a, e);
        const want = reference(slow, docs, b, e);
        expect(JSON.stringify(a), "the input lead is not changed").toBe(before);
        expect(got, `round ${round}, event ${i}: ${JSON.stringify(e)}`).toEqual(want);
        a = got.lead;
        b = want.lead;
        Object.assign(fast, { rrCursor: got.rrCursor, reps: got.reps });
        Object.assign(slow, { rrCursor: want.rrCursor, reps: want.reps });
      }
    }
  });
});
