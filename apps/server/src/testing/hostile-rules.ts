import fc from "fast-check";
import { nodeCatalogue } from "@leadflow/flow";
import { hostileJson, hostileKey, hostileNumber, hostileObject, hostileScalar, hostileString, mostly, plausibleNumber } from "./hostile.js";

/** Hostile rule documents: conditions, flow documents (nodes of every type) and the scoring model. See hostile.ts. */

const OPS = ["eq", "neq", "contains", "notContains", "startsWith", "endsWith", "matches", "glob", "in", "notIn", "gt", "gte", "lt", "lte", "exists", "notExists"];
const FIELDS = [
  "lead.country", "lead.email", "event.properties.url", "score.total", "score.category.pricing", "tier", "country",
  "behaviour.count.page_view.7d", "behaviour.daysSince.demo_request",
];

/** A condition's value: a word, a number, a list, a pattern (ReDoS included), or anything. */
const plausibleValue: fc.Arbitrary<unknown> = mostly(
  fc.oneof(fc.constantFrom("HU", "/pricing", "(a+)+$", "^a.*b$", "[", 30), fc.integer(), fc.array(fc.constantFrom("HU", "DK", 1), { maxLength: 3 })),
  fc.oneof(hostileScalar, fc.array(hostileScalar, { maxLength: 4 })),
);

export const hostileCondition: fc.Arbitrary<unknown> = mostly(
  fc.record(
    {
      field: mostly(fc.constantFrom(...FIELDS), hostileString),
      op: mostly(fc.constantFrom(...OPS), hostileString),
      value: plausibleValue,
      // a behaviour count's event filter, nested once (or anything)
      where: mostly(fc.array(fc.record({ field: fc.constantFrom("event.properties.url", "lead.email"), op: fc.constantFrom(...OPS), value: plausibleValue }), { maxLength: 3 }), hostileJson),
    },
    { requiredKeys: ["field", "op"] },
  ),
  hostileJson,
);

const CONFIG_KEYS = [
  "eventType", "where", "match", "crosses", "direction", "score", "days", "hours", "minutes", "until", "cron", "points",
  "category", "expiresAfterDays", "atLeast", "variants", "templateId", "strategy", "pool", "property", "to", "stage",
  "properties", "url", "method",
];

const configValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileScalar },
  { weight: 2, arbitrary: fc.array(hostileCondition, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.array(fc.record({ name: fc.oneof(fc.constantFrom("a", "b"), hostileString), weight: hostileNumber }), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.record({ weekdays: fc.array(hostileNumber, { maxLength: 3 }), hour: hostileNumber }) },
  { weight: 1, arbitrary: hostileObject },
);

const STAGES = ["subscriber", "lead", "mql", "sql", "customer", "recycled"];
const where = fc.array(hostileCondition, { minLength: 1, maxLength: 3 });

/** A config with the keys `type` takes, its values plausible or hostile. */
function plausibleConfig(type: string): fc.Arbitrary<unknown> {
  const pick = <T>(...values: T[]) => mostly(fc.constantFrom(...values), hostileScalar);
  switch (type) {
    case "trigger.event":
      return fc.record({ eventType: fc.constant("fz"), where: fc.array(hostileCondition, { maxLength: 2 }) });
    case "trigger.score":
      return fc.record({ crosses: plausibleNumber, direction: pick("up", "down"), score: pick("total", "fit", "engagement", "category.pricing") });
    case "trigger.inactive":
      return fc.record({ days: plausibleNumber });
    case "trigger.segment":
      return fc.record({ where, match: pick("all", "any"), cron: pick("0 9 * * 1", "* * * * *", "61 25 * * *", "*/0 * * * *") });
    case "condition":
      return fc.record({ where, match: pick("all", "any") });
    case "wait":
      return fc.oneof(
        fc.record({ days: plausibleNumber, hours: plausibleNumber, minutes: plausibleNumber }, { requiredKeys: [] }),
        fc.record({ until: fc.record({ weekdays: fc.array(plausibleNumber, { maxLength: 3 }), hour: plausibleNumber }) }),
      );
    case "split":
      return fc.record({ variants: fc.constant(["a", "b"]).chain((names) => fc.tuple(...names.map((name) => fc.record({ name: fc.constant(name), weight: plausibleNumber })))) });
    case "score.add":
      return fc.record({ points: plausibleNumber, category: pick("pricing", "web"), expiresAfterDays: plausibleNumber }, { requiredKeys: ["points"] });
    case "score.threshold":
      return fc.record({ atLeast: plausibleNumber, score: pick("total", "category.pricing") }, { requiredKeys: ["atLeast"] });
    case "email.send":
      return fc.record({ templateId: pick("fz-t1", "fz-t2", "nope") });
    case "sales.assign":
      return fc.record({ strategy: pick("round_robin", "least_loaded", "territory"), pool: fc.array(pick("r1", "r2", "zz"), { maxLength: 3 }), property: pick("country", "x") }, { requiredKeys: ["strategy"] });
    case "sales.notify":
      return fc.record({ to: pick("owner", "sales@example.com") });
    case "lead.update":
      return fc.record({ stage: pick(...STAGES), properties: fc.dictionary(hostileKey, hostileScalar, { maxKeys: 3 }) }, { requiredKeys: [] });
    case "webhook":
      // loopback and non-http targets only: a test never reaches outside 127.0.0.1
      return fc.record({ url: pick("http://127.0.0.1:9/hook", "http://[::1]:9/", "file:///etc/passwd", "gopher://127.0.0.1:9/"), method: pick("POST", "PUT") });
    default:
      return fc.constant({});
  }
}

const hostileConfig = fc.oneof(
  { weight: 5, arbitrary: fc.dictionary(fc.constantFrom(...CONFIG_KEYS), configValue, { maxKeys: 4 }) },
  { weight: 1, arbitrary: hostileJson },
);

const NODE_TYPES = Object.keys(nodeCatalogue);

/**
 * A flow document for `id`: mostly a trigger on the event type `fz` followed by a chain of
 * nodes of real types with hostile configs (so some publish, and the engine runs them); now
 * and then a document hostile all through.
 */
export function hostileFlow(id: string): fc.Arbitrary<unknown> {
  const chain = fc
    .record({
      name: mostly(fc.constant("Fuzz"), hostileString),
      reentry: mostly(fc.oneof(fc.constantFrom("always", "once"), fc.record({ cooldownDays: plausibleNumber })), hostileJson),
      trigger: fc.oneof(
        { weight: 3, arbitrary: fc.constant({ eventType: "fz" }) },
        { weight: 2, arbitrary: plausibleConfig("trigger.event") },
        { weight: 1, arbitrary: hostileConfig },
      ),
      nodes: fc.array(
        mostly(fc.constantFrom(...NODE_TYPES), hostileString).chain((type) =>
          fc.record({ type: fc.constant(type), config: mostly(plausibleConfig(type), hostileConfig) }),
        ),
        { maxLength: 3 },
      ),
      hostilePorts: fc.array(fc.option(hostileString, { freq: 6 }), { minLength: 3, maxLength: 3 }),
      label: fc.option(hostileString, { freq: 2 }),
    })
    .map(({ name, reentry, trigger, nodes, hostilePorts, label }) => {
      const ids = ["t", ...nodes.map((_, i) => `n${i}`)];
      const types = ["trigger.event", ...nodes.map((n) => n.type)];
      // the port each node's edge needs, unless a hostile one was drawn
      const ports = types.slice(0, -1).map((t, i) => hostilePorts[i] ?? (t === "condition" ? "yes" : t === "split" ? "a" : undefined));
      return {
        id,
        name,
        reentry,
        nodes: [
          { id: "t", type: "trigger.event", config: trigger, ...(label === null ? {} : { label }) },
          ...nodes.map((n, i) => ({ id: `n${i}`, ...n, position: { x: i * 10, y: 0 } })),
        ],
        edges: ids.slice(1).map((to, i) => ({ from: ids[i]!, to, ...(ports[i] === undefined ? {} : { port: ports[i] }) })),
      };
    });
  return fc.oneof(
    { weight: 6, arbitrary: chain },
    { weight: 1, arbitrary: fc.record({ id: fc.oneof(fc.constant(id), hostileString), name: hostileString, nodes: fc.array(hostileJson, { maxLength: 3 }), edges: hostileJson }) },
    { weight: 1, arbitrary: hostileJson },
  );
}

export const hostileModel: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      {
        fitRules: fc.array(
          fc.record(
            { field: mostly(fc.constantFrom(...FIELDS), hostileString), op: mostly(fc.constantFrom(...OPS), hostileString), value: plausibleValue, points: plausibleNumber },
            { requiredKeys: ["field", "op", "points"] },
          ),
          { maxLength: 3 },
        ),
        tiers: mostly(
          fc.uniqueArray(fc.record({ name: fc.constantFrom("Cold", "Warm", "Hot", "Icy"), min: plausibleNumber }), { minLength: 1, maxLength: 4, selector: (t) => t.name }),
          fc.array(fc.record({ name: hostileString, min: hostileNumber }), { maxLength: 3 }),
        ),
        decay: mostly(fc.oneof(fc.constant({ kind: "none" }), fc.record({ kind: fc.constantFrom("halfLife", "expire"), days: plausibleNumber })), hostileJson),
        categoryCaps: mostly(fc.dictionary(fc.constantFrom("pricing", "web"), plausibleNumber, { maxKeys: 2 }), fc.dictionary(hostileKey, hostileNumber, { maxKeys: 3 })),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: hostileJson },
);
