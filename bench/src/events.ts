/** Deterministic benchmark events: a seeded PRNG, 10 events a lead on average, shuffled across leads. */

/** mulberry32: small, fast, good enough for picking workload shapes. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A v4-shaped UUID drawn from the PRNG (deterministic, unlike crypto.randomUUID). */
export function uuidFrom(rand: () => number): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join("");
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[Math.floor(rand() * 4)]}${hex(3)}-${hex(12)}`;
}

export interface BenchEvent {
  /** the client's id (becomes the idempotency key) */
  id: string;
  email: string;
  /** index of the lead, 0..leads-1 */
  lead: number;
  type: string;
  properties: Record<string, string | number>;
}

export interface Workload {
  events: BenchEvent[];
  /** a stable UUID per lead, for the baseline's lead_id column */
  leadIds: string[];
}

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

const OTHER_PAGES = [
  "https://example.com/", "https://example.com/about", "https://example.com/blog/scoring-101",
  "https://example.com/blog/why-flows", "https://example.com/docs/getting-started", "https://example.com/docs/api/events",
  "https://example.com/docs/v2/flows", "https://example.com/case-studies/acme", "https://example.com/integrations/hubspot",
  "https://example.com/security", "https://example.com/careers", "https://example.com/changelog",
  "https://example.com/compare/marketo", "https://example.com/roi-calculator", "https://example.com/contact",
  "https://example.com/partners", "https://example.com/webinars/spring", "https://example.com/demo",
  "https://example.com/trial", "https://example.com/files/whitepaper.pdf",
];
const PRICING_PAGES = [
  "https://example.com/pricing", "https://example.com/pricing?plan=pro", "https://example.com/pricing/enterprise",
];
const REFERRERS = ["", "https://www.google.com/", "https://www.linkedin.com/feed", "https://news.ycombinator.com/", "https://example.com/"];
const CAMPAIGNS = ["", "spring-launch", "retarget-q3", "brand"];
const SOURCES = ["", "g2", "capterra", "newsletter", "adwords"];

function pageView(rand: () => number, pricing: boolean): Record<string, string | number> {
  const props: Record<string, string | number> = {
    url: pricing ? pick(rand, PRICING_PAGES) : pick(rand, OTHER_PAGES),
    timeOnPage: Math.floor(rand() * 400),
    scrollDepth: Math.floor(rand() * 101),
  };
  const referrer = pick(rand, REFERRERS);
  if (referrer) props.referrer = referrer;
  const campaign = pick(rand, CAMPAIGNS);
  if (campaign) props.utm_campaign = campaign;
  const source = pick(rand, SOURCES);
  if (source) props.utm_source = source;
  return props;
}

/** One event of the mix: ~70% page views (a quarter of them on /pricing), demo requests, forms, e-mail clicks, webinars, trials. */
function randomEvent(rand: () => number): Pick<BenchEvent, "type" | "properties"> {
  const r = rand();
  if (r < 0.52) return { type: "page_view", properties: pageView(rand, false) };
  if (r < 0.7) return { type: "page_view", properties: pageView(rand, true) };
  if (r < 0.74)
    return { type: "demo_request", properties: { company_size: Math.floor(rand() * 2000), country: pick(rand, ["HU", "AT", "DE", "US", "FR", "GB"]) } };
  if (r < 0.82)
    return { type: "form_submit", properties: { form: pick(rand, ["newsletter", "contact", "trial", "webinar-signup"]), employees: Math.floor(rand() * 5000) } };
  if (r < 0.92)
    return {
      type: "email_click",
      properties: { campaign: pick(rand, ["nurture-1", "nurture-2", "onboarding", "promo"]), link: pick(rand, [...PRICING_PAGES, ...OTHER_PAGES.slice(0, 4)]) },
    };
  if (r < 0.96) return { type: "webinar_attended", properties: { minutes: Math.floor(rand() * 61) } };
  if (r < 0.98) return { type: "trial_started", properties: { plan: pick(rand, ["starter", "pro", "enterprise"]) } };
  return { type: "unsubscribe", properties: {} };
}

/** `count` events for `leads` leads; every lead gets at least one event, the rest fall at random; the list is shuffled. */
export function generateWorkload(count: number, leads: number, seed = 20261102): Workload {
  const rand = prng(seed);
  const leadIds = Array.from({ length: leads }, () => uuidFrom(rand));
  const events: BenchEvent[] = [];
  for (let i = 0; i < count; i++) {
    const lead = i < leads ? i : Math.floor(rand() * leads);
    events.push({ id: `bench-${seed}-${i}`, email: `lead${lead}@bench.example`, lead, ...randomEvent(rand) });
  }
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [events[i], events[j]] = [events[j]!, events[i]!];
  }
  return { events, leadIds };
}

/** Counts by type (for the report). */
export function mix(events: readonly BenchEvent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) {
    const key = e.type === "page_view" && String(e.properties.url).includes("/pricing") ? "page_view /pricing" : e.type;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}
