import type { Migration } from "kysely";
import { runStatements } from "./run-statements.js";

/** Leads, events, the score ledger, tier changes, settings. */
const LEADS_EVENTS_LEDGER = `
      CREATE TABLE leads (
        id uuid PRIMARY KEY,
        email text NOT NULL,
        email_lower text NOT NULL UNIQUE,
        properties jsonb NOT NULL DEFAULT '{}',
        stage text NOT NULL DEFAULT 'lead',
        status text NOT NULL DEFAULT 'active',
        owner_id text,
        fit double precision NOT NULL DEFAULT 0,
        engagement double precision NOT NULL DEFAULT 0,
        total double precision NOT NULL DEFAULT 0,
        categories jsonb NOT NULL DEFAULT '{}',
        tier text NOT NULL,
        flow_state jsonb NOT NULL DEFAULT '{"thresholds":{},"entries":{}}',
        last_activity_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      ) WITH (fillfactor = 80);
      -- Every event rewrites its lead's row: room left in each page and no index on the scores
      -- (total, engagement) keep those updates HOT when no indexed column changes.
      CREATE INDEX leads_owner ON leads (owner_id);
      CREATE INDEX leads_tier ON leads (tier);

      CREATE TABLE events (
        id uuid PRIMARY KEY,
        idempotency_key text NOT NULL UNIQUE,
        lead_id uuid,
        anonymous_id text,
        type text NOT NULL,
        properties jsonb NOT NULL DEFAULT '{}',
        occurred_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX events_lead ON events (lead_id, occurred_at);
      CREATE INDEX events_anonymous ON events (anonymous_id) WHERE lead_id IS NULL;

      CREATE TABLE score_ledger (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lead_id uuid NOT NULL,
        delta double precision NOT NULL,
        category text,
        flow_id text,
        flow_version integer,
        node_id text,
        event_id uuid,
        run_id uuid,
        reason text NOT NULL,
        at timestamptz NOT NULL,
        expires_at timestamptz
      );
      CREATE INDEX score_ledger_lead ON score_ledger (lead_id, at);

      CREATE TABLE tier_changes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lead_id uuid NOT NULL,
        from_tier text NOT NULL,
        to_tier text NOT NULL,
        event_id uuid,
        at timestamptz NOT NULL
      );
      CREATE INDEX tier_changes_lead ON tier_changes (lead_id, at);

      CREATE TABLE settings (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );

`;

/** Flows and their versions, runs, timers, the outbox. */
const FLOWS_RUNS_OUTBOX = `
      CREATE TABLE flows (
        id text PRIMARY KEY,
        name text NOT NULL,
        draft jsonb NOT NULL,
        published_version integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE flow_versions (
        flow_id text NOT NULL REFERENCES flows (id),
        version integer NOT NULL,
        document jsonb NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (flow_id, version)
      );

      CREATE TABLE flow_runs (
        id uuid PRIMARY KEY,
        lead_id uuid NOT NULL,
        flow_id text NOT NULL,
        flow_version integer NOT NULL,
        trigger_node_id text NOT NULL,
        event_id uuid,
        path jsonb NOT NULL DEFAULT '[]',
        status text NOT NULL,
        started_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX flow_runs_lead ON flow_runs (lead_id, started_at);
      CREATE INDEX flow_runs_flow ON flow_runs (flow_id, started_at);

      CREATE TABLE timers (
        id uuid PRIMARY KEY,
        lead_id uuid NOT NULL,
        run_id uuid NOT NULL,
        flow_id text NOT NULL,
        flow_version integer NOT NULL,
        node_id text NOT NULL,
        due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        UNIQUE (run_id, node_id)
      );
      CREATE INDEX timers_due ON timers (due_at) WHERE status = 'pending';

      CREATE TABLE outbox_jobs (
        id uuid PRIMARY KEY,
        lead_id uuid NOT NULL,
        run_id uuid NOT NULL,
        flow_id text NOT NULL,
        node_id text NOT NULL,
        job_type text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        last_error text,
        message_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        UNIQUE (run_id, node_id)
      );
      CREATE INDEX outbox_due ON outbox_jobs (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX outbox_lead ON outbox_jobs (lead_id, created_at);

`;

/** Templates, reps, deals, users, API keys, the local mailbox. */
const PEOPLE_AND_MAIL = `
      CREATE TABLE templates (
        id text PRIMARY KEY,
        subject text NOT NULL,
        html text NOT NULL,
        text text,
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE sales_reps (
        id text PRIMARY KEY,
        name text NOT NULL,
        email text NOT NULL,
        territories jsonb NOT NULL DEFAULT '[]',
        active boolean NOT NULL DEFAULT true,
        capacity integer,
        sort integer NOT NULL DEFAULT 0
      );

      CREATE TABLE deals (
        id uuid PRIMARY KEY,
        lead_id uuid NOT NULL,
        rep_id text NOT NULL,
        run_id uuid,
        stage text NOT NULL,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX deals_lead ON deals (lead_id);

      CREATE TABLE users (
        id uuid PRIMARY KEY,
        email text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        role text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        prefix text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      );

      CREATE TABLE mailbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        job_id uuid UNIQUE,
        message_id text NOT NULL,
        to_address text NOT NULL,
        from_address text NOT NULL,
        subject text NOT NULL,
        html text,
        text text,
        headers jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL
      );
`;

/** The spine: leads, events, ledger, flows and versions, runs, timers, outbox, templates, reps, users, keys. */
export const spine: Migration = {
  async up(db) {
    await runStatements(db, LEADS_EVENTS_LEDGER);
    await runStatements(db, FLOWS_RUNS_OUTBOX);
    await runStatements(db, PEOPLE_AND_MAIL);
  },
};
