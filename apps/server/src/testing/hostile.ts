import fc from "fast-check";

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

export const plausibleNumber = mostly(fc.oneof(fc.integer({ min: -100, max: 100 }), fc.constantFrom(0.5, 1, 30, 70, 3650, 36_500)), hostileNumber);

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
