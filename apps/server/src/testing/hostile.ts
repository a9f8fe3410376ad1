import fc from "fast-check";
import { nodeCatalogue } from "@leadflow/flow";

/**
 * fast-check arbitraries for hostile input: what an attacker (or a broken integration) sends.
 * Ordinary values are mixed in so that generated documents often pass the first checks and
 * reach the deeper code (the engine, the database) where a 500 would hide.
 */

/** Characters PostgreSQL refuses or mangles, and a well-formed pair next to them. */
const BAD_UNITS = ["\u0000", "\ud800", "\udbff", "\udc00", "\udfff", "\ud83d", "\ud83d\ude00"];

/** Strings that broke, or could break, something somewhere. */
export const SPECIAL_STRINGS = [
  "", " ", "\u0000", "a\u0000b", "\ud800", "x\udc00", "\ud83d\ude00", "__proto__", "constructor", "prototype", "toString",
  "0000-01-01T00:00:00Z", "2101-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "+275760-09-13T00:00:00Z", "2026-02-30T00:00:00Z",
  "NaN", "Infinity", "-0", "1e309", "null", "../../package.json", "%00", "%E0%A4%A", "'; DROP TABLE leads; --",
  "{{lead.email}}", "{% include 'package.json' %}", "{% for i in (1..1000000) %}x{% endfor %}", "(a+)+$", "[", "\\",
  "\u202e", "\ufeff", "\uffff", "\u{10ffff}", "e\u0301", "lead.email", "event.properties.url", "score.total", "tier",
  "page_view", "form_submit", "http://127.0.0.1:9/hook", "file:///etc/passwd", "javascript:alert(1)", "owner",
];

const unit = fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...BAD_UNITS) }, { weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 1 }) });

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit, maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 16 }) },
  { weight: 1, arbitrary: fc.integer({ min: 190, max: 70_000 }).map((n) => "x".repeat(n)) },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, 1e-300, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, Number.MAX_VALUE, -Number.MAX_VALUE, 1e21, 3651, 36_501, 1_000_001),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -1000, max: 1000 }),
);

export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));

/** Mostly `valid`, sometimes `hostile`: a document then often passes its first checks and reaches deeper code. */
export const mostly = <T, U>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<U>): fc.Arbitrary<T | U> =>
  fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: hostile });

const plausibleNumber = mostly(fc.oneof(fc.integer({ min: -100, max: 100 }), fc.constantFrom(0.5, 1, 30, 70, 3650, 36_500)), hostileNumber);

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit, minLength: 1, maxLength: 12 }) },
  { weight: 2, arbitrary: fc.constantFrom("url", "email", "firstName", "country", "note", "constructor", "toString", "x".repeat(300)) },
  { weight: 1, arbitrary: fc.constantFrom("a\u0000", "\ud800") },
  // not `__proto__`: the JSON parser refuses the whole body for it (bad-input.test.ts), which would hide the rest
);

/** `{"a":{"a":…}}` or `[[…]]`, nested `depth` levels (kept under what JSON.stringify can write). */
export function nested(depth: number, array = false): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < depth; i++) value = array ? [value] : { a: value };
  return value;
}

export const deepJson: fc.Arbitrary<unknown> = fc.tuple(fc.integer({ min: 25, max: 1500 }), fc.boolean()).map(([d, a]) => nested(d, a));

/** Any JSON value, with hostile strings and keys at any depth. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileScalar,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie("value"), { maxKeys: 4 }),
  ),
})).value;

export const hostileObject: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(hostileKey, hostileJson, { maxKeys: 5 }) },
  { weight: 1, arbitrary: hostileJson },
  { weight: 1, arbitrary: deepJson },
);

/** Stands for a fresh e-mail address; the test swaps in a unique one before sending. */
export const FRESH_EMAIL = "<fresh>";

const dates = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom("1970-01-01T00:00:00Z", "2100-12-31T23:59:59.999Z", "2100-12-31T23:59:59+01:00", "1970-01-01T00:00:00+01:00"),
  hostileString,
  hostileNumber,
);

export const hostileEvent: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: hostileJson },
  {
    weight: 5,
    arbitrary: fc.record(
      {
        id: fc.oneof(hostileString, fc.uuid(), hostileNumber),
        leadId: fc.oneof(fc.uuid(), hostileString),
        email: fc.oneof({ weight: 4, arbitrary: fc.constant(FRESH_EMAIL) }, { weight: 1, arbitrary: hostileString }, { weight: 1, arbitrary: fc.emailAddress() }),
        anonymousId: fc.oneof(hostileString, fc.uuid()),
        type: fc.oneof(fc.constantFrom("page_view", "form_submit", "email_click", "unsubscribe", "email_bounce", "fz"), hostileString),
        properties: hostileObject,
        occurredAt: dates,
      },
      { requiredKeys: ["type"] },
    ),
  },
);

export const hostileLead: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: hostileJson },
  {
    weight: 5,
    arbitrary: fc.record(
      {
        email: fc.oneof({ weight: 4, arbitrary: fc.constant(FRESH_EMAIL) }, { weight: 1, arbitrary: hostileString }),
        properties: fc.oneof(fc.dictionary(fc.oneof(hostileKey, fc.constantFrom("firstName", "company", "jobTitle")), hostileScalar, { maxKeys: 5 }), hostileObject),
      },
      { requiredKeys: ["email"] },
    ),
  },
);

const OPS = ["eq", "neq", "contains", "notContains", "startsWith", "endsWith", "matches", "in", "notIn", "gt", "gte", "lt", "lte", "exists", "notExists"];
const FIELDS = ["lead.country", "lead.email", "event.properties.url", "score.total", "score.category.pricing", "tier", "country"];

/** A condition's value: a word, a number, a list, a pattern (ReDoS included), or anything. */
const plausibleValue: fc.Arbitrary<unknown> = mostly(
  fc.oneof(fc.constantFrom("HU", "/pricing", "(a+)+$", "^a.*b$", "[", 30), fc.integer(), fc.array(fc.constantFrom("HU", "DK", 1), { maxLength: 3 })),
  fc.oneof(hostileScalar, fc.array(hostileScalar, { maxLength: 4 })),
);

export const hostileCondition: fc.Arbitrary<unknown> = mostly(
  fc.record({ field: mostly(fc.constantFrom(...FIELDS), hostileString), op: mostly(fc.constantFrom(...OPS), hostileString), value: plausibleValue }, { requiredKeys: ["field", "op"] }),
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

const liquid = fc.constantFrom(
  "Hi {{lead.firstName}}", "{{ lead.email | upcase }}", "{% if lead.tier == 'Hot' %}hot{% endif %}", "{% include 'package.json' %}",
  "{% render '../../package.json' %}", "{% layout 'x' %}", "{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}",
  "{{", "{% raw %}", "{% assign x = 'a' | append: x %}", "{{ 'x' | repeat: 1000000 }}",
);

export const hostileTemplate: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      {
        subject: fc.oneof(liquid, hostileString),
        html: fc.oneof(liquid, hostileString, fc.constant("<p>Hello {{lead.firstName}}</p>")),
        text: fc.oneof(liquid, hostileString, fc.constant(null)),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: hostileJson },
);

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

/**
 * A path segment for any string, even one encodeURIComponent refuses (a lone surrogate): such
 * a unit goes out as its three WTF-8 bytes, as a hostile client would send it.
 */
export function pathSegment(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) out += `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`.toUpperCase();
    else out += encodeURIComponent(ch);
  }
  return out;
}
