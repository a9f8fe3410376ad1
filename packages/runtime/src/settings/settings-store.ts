import { z } from "zod";
import type { Kysely } from "kysely";
import { findSettings, writeSetting, type DB, type SettingCondition } from "@leadflow/db";
import { defaultScoringModel, isTimeZone } from "@leadflow/engine";
import { safeJson, safeString, ScoringModel } from "@leadflow/flow";
import { invalidInput } from "../errors.js";
import { EventNames } from "../intake/segment-mapping.js";

/**
 * The one settings store. Every workspace setting is declared once below, with its key, its
 * schema (checked when written and again when read) and its fallback (the value while the key
 * is unset or holds something the schema refuses). Read one key or several in one query, write
 * through `saveSetting`; the rows are settings.repository.ts's.
 */
export interface Setting<T, D = T> {
  readonly key: string;
  /** what a refused value is called in the error ("invalid <label>: …") */
  readonly label: string;
  readonly schema: z.ZodType<T>;
  readonly fallback: () => D;
  /**
   * A stored value today's schema refuses is used as stored instead of the fallback: for values
   * a marketer built (the scoring model), where a rule tightened since it was saved must not
   * silently swap their model for the default one and rescore every lead by it.
   */
  readonly keepRefused?: boolean;
}

const setting = <T, D = T>(key: string, label: string, schema: z.ZodType<T>, fallback: () => D, keepRefused = false): Setting<T, D> => ({
  key, label, schema, fallback, keepRefused,
});

/** Workspace-wide settings the scheduler needs: the time zone of wait windows and segment crons. */
export const Workspace = safeJson().pipe(
  z.object({
    timeZone: safeString(100)
      .refine((tz) => isTimeZone(tz), "timeZone must be an IANA time zone, e.g. Europe/Budapest")
      .default("UTC"),
  }),
);
export type Workspace = z.output<typeof Workspace>;

/** At most `max` marketing e-mails a lead in any `days`-day window; null = no cap. */
export const FrequencyCap = z
  .object({
    max: z.number().int("max must be a whole number").min(1, "max must be at least 1").max(1000),
    days: z.number().positive("days must be positive").max(365),
  })
  .nullable();
export type FrequencyCap = z.output<typeof FrequencyCap>;

/** A webhook signing secret in the Standard Webhooks form (`whsec_` + base64 of 32 random bytes), with its birth. */
export const StoredWebhookSecret = z.object({ secret: z.string().regex(/^whsec_[A-Za-z0-9+/]+=*$/), createdAt: z.string() });
export type StoredWebhookSecret = z.output<typeof StoredWebhookSecret>;

export const Settings = {
  /** validated as PUT /scoring-model takes it: storable JSON first (see safe-input.ts), then its shape */
  scoringModel: setting("scoring_model", "scoring model", safeJson().pipe(ScoringModel), () => defaultScoringModel, true),
  workspace: setting("workspace", "workspace", Workspace, (): Workspace => ({ timeZone: "UTC" })),
  /** unset: the environment's cap applies (see loadFrequencyCap) */
  frequencyCap: setting("frequency_cap", "frequency cap", FrequencyCap, () => undefined),
  /** where the next round-robin assignment starts; unset until the first */
  rrCursor: setting("rr_cursor", "round-robin cursor", z.number(), () => undefined),
  /** the HMAC key of tracking tokens when SECRET is not configured; made on first use */
  signingSecret: setting("signing_secret", "signing secret", z.string(), () => undefined),
  /** made on first use, replaced on rotation */
  webhookSecret: setting("webhook_secret", "webhook secret", StoredWebhookSecret, () => undefined),
  /** Segment track names → Leadflow event types */
  eventNames: setting("event_names", "event names", EventNames, (): EventNames => ({})),
} as const;

type ValueOf<S> = S extends Setting<infer T, infer D> ? T | D : never;

function valueOf<T, D>(s: Setting<T, D>, stored: unknown): T | D {
  if (stored === undefined) return s.fallback();
  const parsed = s.schema.safeParse(stored);
  if (parsed.success) return parsed.data;
  return s.keepRefused ? (stored as T) : s.fallback();
}

/** Several settings in one query, in the order given. */
export async function readSettings<const L extends readonly Setting<unknown, unknown>[]>(
  db: Kysely<DB>,
  settings: L,
): Promise<{ -readonly [I in keyof L]: ValueOf<L[I]> }> {
  const stored = await findSettings(db, settings.map((s) => s.key));
  return settings.map((s) => valueOf(s, stored.get(s.key))) as { -readonly [I in keyof L]: ValueOf<L[I]> };
}

export async function readSetting<T, D>(db: Kysely<DB>, s: Setting<T, D>): Promise<T | D> {
  return valueOf(s, (await findSettings(db, [s.key])).get(s.key));
}

/**
 * Checks `input` against the setting's schema (throws `invalid_input`) and stores it; returns
 * the value as stored. With a condition (see SettingCondition) it stores only if the condition
 * holds, and returns undefined when it did not.
 */
export async function saveSetting<T>(db: Kysely<DB>, s: Setting<T, unknown>, input: unknown): Promise<T>;
export async function saveSetting<T>(db: Kysely<DB>, s: Setting<T, unknown>, input: unknown, condition: SettingCondition): Promise<T | undefined>;
export async function saveSetting<T>(db: Kysely<DB>, s: Setting<T, unknown>, input: unknown, condition?: SettingCondition): Promise<T | undefined> {
  const parsed = s.schema.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues, s.label);
  return (await writeSetting(db, s.key, parsed.data, condition)) ? parsed.data : undefined;
}
