import { z } from "zod";
import { safeJson, safeString } from "@leadflow/flow";
import { fieldsFromZod } from "../errors.js";

/**
 * Segment/RudderStack tracking calls → Leadflow events (docs/tracking.md, "Segment-compatible
 * API"). Pure: the caller gives the time, the batch's `sentAt` and the workspace's name mapping.
 */
export const SEGMENT_CALLS = ["track", "identify", "page", "screen", "group", "alias"] as const;
export type SegmentCall = (typeof SEGMENT_CALLS)[number];

/** A message's own size limit, as Segment's (32 KB). */
export const MAX_MESSAGE_BYTES = 32 * 1024;

/** What an event type may look like (the rule of POST /api/v1/events). */
export const EVENT_TYPE = /^[\w.:-]{1,100}$/;

/** Workspace mapping of track event names to Leadflow types, e.g. `{ "Order Completed": "purchase" }`. */
export const EventNames = z
  .record(
    safeString(200).min(1, "an event name must not be empty"),
    z.string().regex(EVENT_TYPE, "a type has 1 to 100 letters, digits and _ . : - only"),
  )
  .refine((m) => Object.keys(m).length <= 1000, "at most 1,000 event names");
export type EventNames = z.infer<typeof EventNames>;

const Text = (max: number) => safeString(max).optional().catch(undefined);
const Id = z.union([safeString(200).min(1), z.number().finite().transform(String)]).optional();
const Obj = z.record(z.string(), z.unknown());

/** The fields read from a message; everything else in it is ignored. */
const Message = z.object({
  type: z.string().optional(),
  messageId: Id,
  anonymousId: Id,
  userId: Id,
  previousId: Id,
  groupId: Id,
  event: safeString(200).optional(),
  name: Text(200),
  category: Text(200),
  properties: Obj.optional(),
  traits: Obj.optional(),
  context: z
    .object({
      traits: Obj.optional(),
      page: Obj.optional(),
      campaign: Obj.optional(),
    })
    .passthrough()
    .optional(),
  timestamp: z.unknown().optional(),
  originalTimestamp: z.unknown().optional(),
  sentAt: z.unknown().optional(),
});
type Message = z.infer<typeof Message>;

/** A Leadflow event as POST /api/v1/events takes it (checked again there). */
export interface MappedEvent {
  id?: string;
  email?: string;
  anonymousId?: string;
  userId?: string;
  type: string;
  properties: Record<string, unknown>;
  occurredAt: string;
}

export type MapResult = { ok: true; event: MappedEvent } | { ok: false; message: string };

export interface MapContext {
  now: Date;
  /** the batch's `sentAt` (a message's own wins) */
  sentAt?: unknown;
  eventNames: EventNames;
}

/**
 * A track name as a type: the workspace's mapping (exact, then ignoring case), else a slug
 * (`Order Completed` → `order_completed`, accents dropped; `track` when nothing is left).
 */
export function eventTypeFor(name: string, names: EventNames): string {
  const own = names[name] ?? Object.entries(names).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  if (own) return own;
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 100)
    .replace(/_+$/, "");
  return slug || "track";
}

const toTime = (v: unknown): number | undefined => {
  if (typeof v !== "string" && typeof v !== "number") return undefined;
  const t = new Date(v).getTime();
  return Number.isNaN(t) ? undefined : t;
};

/**
 * When it happened, as Segment computes it: `timestamp` when given; else `originalTimestamp`
 * moved by the client's clock skew (`now − sentAt`); else now. A time ahead of now is now.
 */
export function eventTime(m: Pick<Message, "timestamp" | "originalTimestamp" | "sentAt">, ctx: MapContext): number | string {
  const now = ctx.now.getTime();
  let t: number | undefined;
  if (m.timestamp !== undefined) {
    t = toTime(m.timestamp);
    if (t === undefined) return "timestamp: must be an ISO 8601 date-time";
  } else if (m.originalTimestamp !== undefined) {
    t = toTime(m.originalTimestamp);
    if (t === undefined) return "originalTimestamp: must be an ISO 8601 date-time";
    const sent = toTime(m.sentAt ?? ctx.sentAt);
    if (sent !== undefined) t += now - sent;
  }
  return Math.min(t ?? now, now);
}

const str = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : undefined);

function hostOf(url: unknown): string | undefined {
  const s = str(url);
  if (!s) return undefined;
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `https://${s}`).hostname.replace(/^www\./, "") || undefined;
  } catch {
    return undefined;
  }
}

function pathOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

const withoutEmail = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== "email"));

const UTM: Record<string, string> = { source: "utm_source", medium: "utm_medium", name: "utm_campaign", term: "utm_term", content: "utm_content" };

function pageProperties(m: Message): Record<string, unknown> {
  const props = m.properties ?? {};
  const page = m.context?.page ?? {};
  const url = str(props.url) ?? str(page.url);
  const out: Record<string, unknown> = { ...props };
  const set = (k: string, v: unknown) => {
    if (out[k] === undefined && v !== undefined) out[k] = v;
  };
  set("url", url);
  set("path", str(page.path) ?? pathOf(url));
  set("title", str(page.title));
  set("referrer", str(page.referrer));
  set("search", str(page.search));
  set("name", m.name);
  set("category", m.category);
  for (const [from, to] of Object.entries(UTM)) set(to, str(m.context?.campaign?.[from]));
  return out;
}

/** Reserved Segment traits under the names Leadflow's fit rules use. */
function identifyProperties(traits: Record<string, unknown>): Record<string, unknown> {
  const out = withoutEmail(traits);
  if (out.jobTitle === undefined && str(traits.title)) out.jobTitle = traits.title;
  const company = traits.company;
  if (company && typeof company === "object" && !Array.isArray(company)) {
    const c = company as Record<string, unknown>;
    if (str(c.name)) out.company = c.name;
    if (typeof c.employee_count === "number") out.companySize = c.employee_count;
    if (str(c.industry) && out.industry === undefined) out.industry = c.industry;
  }
  return out;
}

/** A group's traits as the lead's company properties (the whole traits kept under `traits`). */
function groupProperties(m: Message): Record<string, unknown> {
  const t = m.traits ?? {};
  const out: Record<string, unknown> = { traits: t };
  if (m.groupId !== undefined) out.groupId = m.groupId;
  if (str(t.name)) out.company = t.name;
  const domain = hostOf(t.domain) ?? hostOf(t.website);
  if (domain) out.companyDomain = domain;
  if (str(t.industry)) out.industry = t.industry;
  if (typeof t.employees === "number") out.companySize = t.employees;
  else if (str(t.employees) && /^\d{1,9}$/.test(t.employees as string)) out.companySize = Number(t.employees);
  return out;
}

function typeAndProperties(call: SegmentCall, m: Message, ctx: MapContext): { type: string; properties: Record<string, unknown> } | string {
  switch (call) {
    case "track":
      if (!m.event) return "event: a track call needs an event name";
      return { type: eventTypeFor(m.event, ctx.eventNames), properties: { ...(m.properties ?? {}), event: m.event } };
    case "page":
      return { type: "page_view", properties: pageProperties(m) };
    case "screen":
      return { type: "screen_view", properties: { ...(m.properties ?? {}), ...(m.name ? { name: m.name } : {}) } };
    case "identify":
      return { type: "identify", properties: identifyProperties(m.traits ?? m.context?.traits ?? {}) };
    case "group":
      if (m.groupId === undefined) return "groupId: a group call needs a groupId";
      return { type: "group", properties: groupProperties(m) };
    case "alias":
      if (m.previousId === undefined || m.userId === undefined) return "an alias call needs previousId and userId";
      return { type: "alias", properties: { previousId: m.previousId } };
  }
}

/**
 * One message as a Leadflow event: `messageId` its id (`segment:<messageId>`), the lead named
 * by `traits.email` (or `context.traits.email`), `userId` and `anonymousId` (an alias's
 * `previousId` is its anonymous id). `call` is the route's, or the message's `type` in a batch.
 */
export function mapSegmentMessage(raw: unknown, call: string | undefined, ctx: MapContext): MapResult {
  const size = jsonSize(raw);
  if (size === undefined) return { ok: false, message: "a message must be a JSON object" };
  if (size > MAX_MESSAGE_BYTES) return { ok: false, message: `the message is larger than ${MAX_MESSAGE_BYTES / 1024} KB` };
  const json = safeJson().safeParse(raw);
  const parsed = json.success ? Message.safeParse(json.data) : json;
  if (!parsed.success) {
    return { ok: false, message: fieldsFromZod(parsed.error.issues).map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join("; ") };
  }
  const m = parsed.data as Message;
  const kind = (call ?? m.type)?.toLowerCase();
  if (!kind || !(SEGMENT_CALLS as readonly string[]).includes(kind)) {
    return { ok: false, message: `type: must be one of ${SEGMENT_CALLS.join(", ")}` };
  }
  const shaped = typeAndProperties(kind as SegmentCall, m, ctx);
  if (typeof shaped === "string") return { ok: false, message: shaped };
  const at = eventTime(m, ctx);
  if (typeof at === "string") return { ok: false, message: at };
  const email = str(m.traits?.email) ?? str(m.context?.traits?.email);
  const anonymousId = kind === "alias" ? m.previousId : m.anonymousId;
  if (anonymousId === undefined && m.userId === undefined) return { ok: false, message: "a message needs a userId or an anonymousId" };
  const event: MappedEvent = { ...shaped, occurredAt: new Date(at).toISOString() };
  if (m.messageId !== undefined) event.id = `segment:${m.messageId}`;
  if (email) event.email = email;
  if (anonymousId !== undefined) event.anonymousId = anonymousId;
  if (m.userId !== undefined) event.userId = m.userId;
  return { ok: true, event };
}

/** The JSON text length of an object, or undefined for anything else. */
function jsonSize(v: unknown): number | undefined {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
  try {
    return JSON.stringify(v).length;
  } catch {
    return undefined;
  }
}
