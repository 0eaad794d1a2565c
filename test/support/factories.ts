import { hash } from '@node-rs/argon2';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { LoginResponse, Role, SessionState } from '@vigil/contracts';
import { DEFAULT_ORAL_PROTOCOL } from '@vigil/clinical';

export const TEST_PASSWORD = 'correct horse battery staple';
let cachedHash: Promise<string> | null = null;
function passwordHash(): Promise<string> {
  cachedHash ??= hash(TEST_PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2 });
  return cachedHash;
}

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  name: string;
  patientId?: string;
}

/** Creates real rows through SQL: factories, not fixtures (and not mocks of our database). */
export async function makeUser(
  ds: DataSource,
  role: Role,
  name = `${role} ${randomUUID().slice(0, 6)}`,
): Promise<TestUser> {
  const email = `${role}-${randomUUID()}@test.vigil`;
  const [row] = await ds.query(
    `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING id`,
    [email, name, role, await passwordHash()],
  );
  const user: TestUser = { id: row.id, email, role, name };
  if (role === 'patient') {
    const [patient] = await ds.query(
      `INSERT INTO patients (user_id, baseline_sbp, baseline_dbp, baseline_hr, support_name, support_phone)
       VALUES ($1, 120, 80, 70, 'Support Person', '+44 7700 900000') RETURNING id`,
      [user.id],
    );
    user.patientId = patient.id;
  }
  return user;
}

export async function assign(
  ds: DataSource,
  clinician: TestUser,
  patient: TestUser,
  from = new Date(Date.now() - 3600_000),
  until: Date | null = null,
): Promise<string> {
  const [row] = await ds.query(
    `INSERT INTO clinician_assignments (clinician_id, patient_id, valid_from, valid_until) VALUES ($1, $2, $3, $4) RETURNING id`,
    [clinician.id, patient.patientId, from, until],
  );
  return row.id;
}

export async function defaultProtocolId(ds: DataSource): Promise<string> {
  const [row] = await ds.query(`SELECT id FROM protocols WHERE name = $1 AND version = $2`, [
    DEFAULT_ORAL_PROTOCOL.name,
    DEFAULT_ORAL_PROTOCOL.version,
  ]);
  return row.id;
}

export async function makeSession(
  ds: DataSource,
  opts: { patient: TestUser; clinician: TestUser; state?: SessionState; dosedAt?: Date | null },
): Promise<string> {
  const state = opts.state ?? 'monitoring';
  const dosedAt =
    opts.dosedAt === undefined
      ? ['dosed', 'monitoring', 'recovery'].includes(state)
        ? new Date(Date.now() - 600_000)
        : null
      : opts.dosedAt;
  const [row] = await ds.query(
    `INSERT INTO sessions (patient_id, clinician_id, protocol_id, state, scheduled_for, dosed_at)
     VALUES ($1, $2, $3, $4, now(), $5) RETURNING id`,
    [opts.patient.patientId, opts.clinician.id, await defaultProtocolId(ds), state, dosedAt],
  );
  return row.id;
}

/** One patient with `count` monitoring sessions under one clinician: the patient and the ids. */
export async function patientWithSessions(
  ds: DataSource,
  count: number,
): Promise<{ patient: TestUser; sessions: string[] }> {
  const patient = await makeUser(ds, 'patient');
  const clinician = await makeUser(ds, 'clinician');
  const sessions: string[] = [];
  for (let i = 0; i < count; i++) sessions.push(await makeSession(ds, { patient, clinician }));
  return { patient, sessions };
}

/**
 * On a database that was migrated but never served (no API booted): the default protocol as the
 * API writes it at boot (ProtocolsService.ensureDefault), one patient and one clinician, and
 * `count` monitoring sessions of theirs, whose ids it returns.
 */
export async function seedSessions(ds: DataSource, count: number): Promise<string[]> {
  await ds.query(`INSERT INTO protocols (name, version, document) VALUES ($1, $2, $3)`, [
    DEFAULT_ORAL_PROTOCOL.name,
    DEFAULT_ORAL_PROTOCOL.version,
    JSON.stringify(DEFAULT_ORAL_PROTOCOL),
  ]);
  const patient = await makeUser(ds, 'patient');
  const clinician = await makeUser(ds, 'clinician');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await makeSession(ds, { patient, clinician }));
  return ids;
}

export async function login(
  url: string,
  user: Pick<TestUser, 'email'>,
  password = TEST_PASSWORD,
): Promise<LoginResponse> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as LoginResponse;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read loosely typed JSON
export interface HttpResult<T = any> {
  status: number;
  body: T;
}

/** Real HTTP with fetch: what a phone does. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read loosely typed JSON
export async function http<T = any>(
  url: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) {
    body = opts.rawBody;
    headers['content-type'] ??= 'application/json';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${url}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T };
}

export async function auditRows(
  ds: DataSource,
  where: { action?: string; outcome?: string; actorId?: string; entityId?: string },
) {
  const clauses: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of [
    ['action', where.action],
    ['outcome', where.outcome],
    ['actor_id', where.actorId],
    ['entity_id', where.entityId],
  ] as const) {
    if (value !== undefined) {
      params.push(value);
      clauses.push(`${column} = $${params.length}`);
    }
  }
  return ds.query(
    `SELECT * FROM audit_events ${clauses.length ? 'WHERE ' + clauses.join(' AND ') : ''} ORDER BY id`,
    params,
  );
}

/**
 * Two patients, each with a live session: `mine` is assigned to both, `theirs` to the second
 * only, `boss` is a supervisor (sees both). What the board and live-delivery tests divide up.
 */
export async function twoPatientClinic(ds: DataSource) {
  const [p1, p2] = [await makeUser(ds, 'patient'), await makeUser(ds, 'patient')];
  const mine = await makeUser(ds, 'clinician');
  const theirs = await makeUser(ds, 'clinician');
  const boss = await makeUser(ds, 'supervisor');
  await assign(ds, mine, p1);
  await assign(ds, mine, p2);
  await assign(ds, theirs, p2);
  const s1 = await makeSession(ds, { patient: p1, clinician: mine });
  const s2 = await makeSession(ds, { patient: p2, clinician: theirs });
  return { p1, p2, mine, theirs, boss, s1, s2 };
}
