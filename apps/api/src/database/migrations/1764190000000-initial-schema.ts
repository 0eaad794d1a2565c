import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The foundation schema: accounts, patients, protocols, sessions, the event log, alerts, audit. */
export class InitialSchema1764190000000 implements MigrationInterface {
  name = 'InitialSchema1764190000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(email)),
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('patient', 'clinician', 'supervisor')),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        token_version integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        deactivated_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_unique ON users (lower(email))`);

    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        family_id uuid NOT NULL,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id)`);
    await q.query(`CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)`);

    await q.query(`
      CREATE TABLE patients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL UNIQUE REFERENCES users(id),
        date_of_birth date,
        baseline_sbp integer,
        baseline_dbp integer,
        baseline_hr integer,
        support_name text,
        support_phone text,
        notes text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE clinician_assignments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        clinician_id uuid NOT NULL REFERENCES users(id),
        patient_id uuid NOT NULL REFERENCES patients(id),
        valid_from timestamptz NOT NULL,
        valid_until timestamptz,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (valid_until IS NULL OR valid_until > valid_from)
      )`);
    await q.query(
      `CREATE INDEX clinician_assignments_lookup ON clinician_assignments (clinician_id, patient_id)`,
    );
    await q.query(
      `CREATE INDEX clinician_assignments_patient ON clinician_assignments (patient_id)`,
    );

    await q.query(`
      CREATE TABLE protocols (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        document jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (name, version)
      )`);

    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        patient_id uuid NOT NULL REFERENCES patients(id),
        clinician_id uuid NOT NULL REFERENCES users(id),
        protocol_id uuid NOT NULL REFERENCES protocols(id),
        state text NOT NULL CHECK (state IN
          ('scheduled','screening','ready','dosed','monitoring','recovery','ended','aborted')),
        scheduled_for timestamptz,
        dosed_at timestamptz,
        ended_at timestamptz,
        head_seq bigint NOT NULL DEFAULT 0 CHECK (head_seq >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX sessions_patient ON sessions (patient_id)`);
    await q.query(`CREATE INDEX sessions_clinician ON sessions (clinician_id)`);
    await q.query(`CREATE INDEX sessions_state ON sessions (state)`);

    // The append-only log: (session_id, seq) is the primary key, so a seq can never repeat;
    // the writer assigns seq under the session row lock, so it never skips.
    await q.query(`
      CREATE TABLE session_events (
        session_id uuid NOT NULL REFERENCES sessions(id),
        seq bigint NOT NULL CHECK (seq > 0),
        type text NOT NULL,
        actor_id uuid REFERENCES users(id),
        client_id text,
        body_hash text,
        client_time timestamptz,
        at timestamptz NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (session_id, seq),
        UNIQUE (session_id, client_id)
      )`);

    await q.query(`
      CREATE TABLE alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES sessions(id),
        condition text NOT NULL,
        priority text NOT NULL CHECK (priority IN ('high','medium','low','info')),
        status text NOT NULL CHECK (status IN ('open','acknowledged','resolved')),
        message text NOT NULL,
        raised_seq bigint NOT NULL,
        raised_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        acknowledged_at timestamptz,
        acknowledged_by uuid REFERENCES users(id),
        resolved_at timestamptz,
        resolved_by uuid REFERENCES users(id),
        resolution_note text,
        silenced_until timestamptz,
        last_escalated_at timestamptz,
        escalation_count integer NOT NULL DEFAULT 0
      )`);
    // One open alert per session and condition: a re-trigger updates it, never duplicates it.
    await q.query(
      `CREATE UNIQUE INDEX alerts_one_open_per_condition ON alerts (session_id, condition) WHERE status <> 'resolved'`,
    );
    await q.query(`CREATE INDEX alerts_unresolved ON alerts (status) WHERE status <> 'resolved'`);

    await q.query(`
      CREATE TABLE audit_events (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_id uuid,
        actor_role text,
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text,
        patient_id uuid,
        outcome text NOT NULL CHECK (outcome IN ('success','denied','error')),
        source_ip text,
        user_agent text,
        detail jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`CREATE INDEX audit_events_actor ON audit_events (actor_id, at)`);
    await q.query(`CREATE INDEX audit_events_patient ON audit_events (patient_id, at)`);
    // Append-only, enforced by the database itself and not only by the absence of code paths.
    await q.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'audit_events',
      'alerts',
      'session_events',
      'sessions',
      'protocols',
      'clinician_assignments',
      'patients',
      'refresh_tokens',
      'users',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS audit_events_append_only()`);
  }
}
