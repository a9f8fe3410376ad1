import type { ColumnType, Generated } from "kysely";
import type { ImportTables } from "./import-tables.js";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type TimestampDefault = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read as T, written as a JSON string */
type Json<T> = ColumnType<T, string, string>;
/** jsonb with a database default */
type JsonDefault<T> = ColumnType<T, string | undefined, string>;

export interface LeadTable {
  id: string;
  email: string;
  email_lower: string;
  properties: JsonDefault<Record<string, unknown>>;
  stage: Generated<string>;
  status: Generated<string>;
  owner_id: string | null;
  fit: Generated<number>;
  engagement: Generated<number>;
  total: Generated<number>;
  categories: JsonDefault<Record<string, number>>;
  tier: string;
  flow_state: JsonDefault<{ thresholds: Record<string, { atLeast: number; score: string }>; entries: Record<string, { count: number; lastAt: string }> }>;
  last_activity_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: TimestampDefault;
  updated_at: TimestampDefault;
  /** the instant decay was last applied up to ('-infinity' before the first time) */
  decayed_at: TimestampDefault;
  /** consecutive weekly snapshots whose total fell */
  weeks_down: Generated<number>;
}

export interface EventTable {
  id: string;
  idempotency_key: string;
  lead_id: string | null;
  anonymous_id: string | null;
  type: string;
  properties: JsonDefault<Record<string, unknown>>;
  occurred_at: Timestamp;
  received_at: TimestampDefault;
}

export interface ScoreLedgerTable {
  id: Generated<string>;
  lead_id: string;
  delta: number;
  category: string | null;
  flow_id: string | null;
  flow_version: number | null;
  node_id: string | null;
  event_id: string | null;
  run_id: string | null;
  /** flow | decay | expire */
  reason: string;
  /** when the points count from: the event's time for a flow entry (see docs/time.md) */
  at: Timestamp;
  /** when the entry was written */
  processed_at: Timestamp;
  expires_at: Timestamp | null;
  /** when this entry's points were taken back (its 'expire' entry) */
  expired_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** on an 'expire' entry: the entry it takes back */
  expires_entry_id: ColumnType<string | null, string | number | null | undefined, string | number | null>;
}

export interface TierChangeTable {
  id: Generated<string>;
  lead_id: string;
  from_tier: string;
  to_tier: string;
  event_id: string | null;
  at: Timestamp;
}

export interface SettingTable {
  key: string;
  value: Json<unknown>;
  updated_at: TimestampDefault;
}

export interface FlowTable {
  id: string;
  name: string;
  draft: Json<unknown>;
  published_version: number | null;
  created_at: TimestampDefault;
  updated_at: TimestampDefault;
}

export interface FlowVersionTable {
  flow_id: string;
  version: number;
  document: Json<unknown>;
  published_at: TimestampDefault;
}

export interface FlowRunTable {
  id: string;
  lead_id: string;
  flow_id: string;
  flow_version: number;
  trigger_node_id: string;
  event_id: string | null;
  path: JsonDefault<string[]>;
  status: string;
  started_at: Timestamp;
  updated_at: Timestamp;
}

export interface TimerTable {
  id: string;
  lead_id: string;
  run_id: string;
  flow_id: string;
  flow_version: number;
  node_id: string;
  due_at: Timestamp;
  /** pending | done | dropped */
  status: string;
  fired_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface ScoreSnapshotTable {
  lead_id: string;
  /** the Monday (UTC) of the week the snapshot was taken, YYYY-MM-DD */
  week: ColumnType<string, string, string>;
  fit: number;
  engagement: number;
  total: number;
  taken_at: Timestamp;
}

/** Where a scheduler pass that spans ticks has got to (inactivity, segments, snapshots). */
export interface SchedulerCursorTable {
  key: string;
  value: Json<Record<string, unknown>>;
  updated_at: TimestampDefault;
}

export interface OutboxJobTable {
  id: string;
  lead_id: string;
  run_id: string;
  flow_id: string;
  node_id: string;
  job_type: string;
  payload: JsonDefault<Record<string, unknown>>;
  status: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  message_id: string | null;
  created_at: TimestampDefault;
  sent_at: Timestamp | null;
  /** set (under the lead's lock) just before the message leaves; counts toward the frequency cap */
  send_started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface TemplateTable {
  id: string;
  subject: string;
  html: string;
  text: string | null;
  updated_at: TimestampDefault;
}

export interface SalesRepTable {
  id: string;
  name: string;
  email: string;
  territories: JsonDefault<string[]>;
  active: Generated<boolean>;
  capacity: number | null;
  sort: number;
}

export interface DealTable {
  id: string;
  lead_id: string;
  rep_id: string;
  run_id: string | null;
  stage: string;
  created_at: Timestamp;
}

export interface UserTable {
  id: string;
  email: string;
  password_hash: string;
  role: string;
  created_at: TimestampDefault;
}

export interface ApiKeyTable {
  id: string;
  name: string;
  prefix: string;
  key_hash: string;
  created_at: TimestampDefault;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface SiteKeyTable {
  id: string;
  name: string;
  prefix: string;
  key_hash: string;
  /** normalized `scheme://host[:port]`; empty: any origin */
  origins: JsonDefault<string[]>;
  created_at: TimestampDefault;
  revoked_at: Timestamp | null;
}

export interface MailboxTable {
  id: Generated<string>;
  job_id: string | null;
  message_id: string;
  to_address: string;
  from_address: string;
  subject: string;
  html: string | null;
  text: string | null;
  headers: JsonDefault<Record<string, string>>;
  created_at: Timestamp;
}

export interface SessionTable {
  /** sha256 of the cookie's token */
  id: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  /** last request seen, written at most once a minute; a session idle too long is refused */
  last_seen_at: Timestamp;
}

/** Sign-in attempts counted per account and per client address, shared by every process. */
export interface SignInThrottleTable {
  /** sha256 of the scope and its value ("account:<e-mail>", "ip:<address>"): no addresses kept */
  id: string;
  /** attempts counted against the key since it was last forgiven */
  failures: number;
  locked_until: Timestamp | null;
  /** after this instant the count starts again from zero (and the row may be deleted) */
  forget_at: Timestamp;
}

/** Addresses never mailed again (unsubscribe, hard bounce); survives lead re-import. */
export interface EmailSuppressionTable {
  email_lower: string;
  /** unsubscribe | bounce */
  reason: string;
  lead_id: string | null;
  event_id: string | null;
  created_at: TimestampDefault;
}

/** Which lead an anonymous visitor id turned out to be (events keep their own lead_id as stored). */
export interface IdentityTable {
  /** a visitor's anonymous id, or `user:<userId>` for a Segment userId */
  anonymous_id: string;
  lead_id: string;
  created_at: Timestamp;
}

export interface DB extends ImportTables {
  leads: LeadTable;
  events: EventTable;
  score_ledger: ScoreLedgerTable;
  tier_changes: TierChangeTable;
  settings: SettingTable;
  flows: FlowTable;
  flow_versions: FlowVersionTable;
  flow_runs: FlowRunTable;
  timers: TimerTable;
  outbox_jobs: OutboxJobTable;
  templates: TemplateTable;
  sales_reps: SalesRepTable;
  deals: DealTable;
  users: UserTable;
  api_keys: ApiKeyTable;
  site_keys: SiteKeyTable;
  mailbox: MailboxTable;
  score_snapshots: ScoreSnapshotTable;
  scheduler_cursors: SchedulerCursorTable;
  email_suppressions: EmailSuppressionTable;
  sessions: SessionTable;
  sign_in_throttles: SignInThrottleTable;
  identities: IdentityTable;
}
