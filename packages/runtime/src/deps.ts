import type { Kysely } from "kysely";
import type { DB } from "@leadflow/db";
import type { MailTransport } from "@leadflow/mailer";

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
  };
  newId: () => string;
}
