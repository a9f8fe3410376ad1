import type { ColumnType, Generated, JSONColumnType } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = JSONColumnType<T, string, string>;

export interface LeadTable {
  id: string;
  email: string;
  email_lower: string;
  properties: Json<Record<string, unknown>>;
  stage: string;
  status: string;
  owner_id: string | null;
  fit: number;
  engagement: number;
  total: number;
  categories: Json<Record<string, number>>;
  tier: string;
  flow_state: Json<{ thresholds: Record<string, { atLeast: number; score: string }>; entries: Record<string, { count: number; lastAt: string }> }>;
  last_activity_at: Timestamp | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface EventTable {
  id: string;
  idempotency_key: string;
  lead_id: string | null;
  anonymous_id: string | null;
  type: string;
  properties: Json<Record<string, unknown>>;
  occurred_at: Timestamp;
  received_at: Generated<Timestamp>;
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
  reason: string;
  at: Timestamp;
  expires_at: Timestamp | null;
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
  updated_at: Generated<Timestamp>;
}

export interface FlowTable {
  id: string;
  name: string;
  draft: Json<unknown>;
  published_version: number | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface FlowVersionTable {
  flow_id: string;
  version: number;
  document: Json<unknown>;
  published_at: Generated<Timestamp>;
}

export interface FlowRunTable {
  id: string;
  lead_id: string;
  flow_id: string;
  flow_version: number;
  trigger_node_id: string;
  event_id: string | null;
  path: Json<string[]>;
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
  status: string;
}

export interface OutboxJobTable {
  id: string;
  lead_id: string;
  run_id: string;
  flow_id: string;
  node_id: string;
  job_type: string;
  payload: Json<Record<string, unknown>>;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  message_id: string | null;
  created_at: Generated<Timestamp>;
  sent_at: Timestamp | null;
}

export interface TemplateTable {
  id: string;
  subject: string;
  html: string;
  text: string | null;
  updated_at: Generated<Timestamp>;
}

export interface SalesRepTable {
  id: string;
  name: string;
  email: string;
  territories: Json<string[]>;
  active: boolean;
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
  created_at: Generated<Timestamp>;
}

export interface ApiKeyTable {
  id: string;
  name: string;
  prefix: string;
  key_hash: string;
  created_at: Generated<Timestamp>;
  last_used_at: Timestamp | null;
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
  headers: Json<Record<string, string>>;
  created_at: Timestamp;
}

export interface DB {
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
  mailbox: MailboxTable;
}
