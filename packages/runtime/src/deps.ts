import type { Kysely } from "kysely";
import type { DB } from "@leadflow/db";
import type { MailTransport } from "@leadflow/mailer";
import type { FlowCache } from "./flows.js";

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** Everything with IO the runtime uses, passed in by the composition root (or a test). */
export interface RuntimeDeps {
  db: Kysely<DB>;
  clock: Clock;
  /** SMTP when configured; undefined = the local mailbox table */
  transport?: MailTransport;
  config: {
    /** base URL for links in e-mail */
    publicUrl: string;
    /** From: of every message */
    mailFrom: string;
    /** key for tracking and unsubscribe tokens; unset = one generated once and kept in settings */
    secret?: string;
    /** marketing e-mail per lead in a rolling window; settings `frequency_cap` overrides it; null = no cap */
    frequencyCap?: { max: number; days: number } | null;
    /** WEBHOOK_ALLOW: private or local webhook targets let through (hosts, host:port pairs, CIDR ranges) */
    webhookAllow?: readonly string[];
    /** one webhook attempt, DNS to answer; 10 s when unset */
    webhookTimeoutMs?: number;
  };
  newId: () => string;
  /** the process's compiled published flows: one per process, shared by every path */
  flows: FlowCache;
}
