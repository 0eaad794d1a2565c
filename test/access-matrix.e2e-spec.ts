import {
  assign,
  auditRows,
  http,
  login,
  makeSession,
  makeUser,
  type TestUser,
} from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

type Actor =
  | 'anonymous'
  | 'patientA'
  | 'patientB'
  | 'clinicianAssigned'
  | 'clinicianNotAssigned'
  | 'clinicianAssignmentEnded'
  | 'supervisor';
const ACTORS: Actor[] = [
  'anonymous',
  'patientA',
  'patientB',
  'clinicianAssigned',
  'clinicianNotAssigned',
  'clinicianAssignmentEnded',
  'supervisor',
];

const at = '2026-11-26T10:00:00.000Z';
let counter = 0;

interface Route {
  name: string;
  method: 'GET' | 'POST';
  path: (sessionId: string) => string;
  body?: () => unknown;
  expect: Record<Actor, number>;
  /** Denials of this route should leave an audit row naming the session. */
  auditedDenials: boolean;
}

const READ = {
  anonymous: 401,
  patientA: 200,
  patientB: 404,
  clinicianAssigned: 200,
  clinicianNotAssigned: 404,
  clinicianAssignmentEnded: 404,
  supervisor: 200,
};
const WRITE = {
  anonymous: 401,
  patientA: 201,
  patientB: 404,
  clinicianAssigned: 201,
  clinicianNotAssigned: 404,
  clinicianAssignmentEnded: 404,
  supervisor: 403,
};
const ADMIN = {
  anonymous: 401,
  patientA: 403,
  patientB: 403,
  clinicianAssigned: 403,
  clinicianNotAssigned: 403,
  clinicianAssignmentEnded: 403,
  supervisor: 200,
};

const ROUTES: Route[] = [
  {
    name: 'session detail',
    method: 'GET',
    path: (id) => `/api/sessions/${id}`,
    expect: READ,
    auditedDenials: true,
  },
  {
    name: 'session events',
    method: 'GET',
    path: (id) => `/api/sessions/${id}/events?after=0`,
    expect: READ,
    auditedDenials: true,
  },
  {
    name: 'session contacts (phone numbers)',
    method: 'GET',
    path: (id) => `/api/sessions/${id}/contacts`,
    expect: READ,
    auditedDenials: true,
  },
  {
    name: 'check-in',
    method: 'POST',
    path: (id) => `/api/sessions/${id}/check-ins`,
    body: () => ({ clientId: `m-${++counter}`, moaas: 5 }),
    expect: WRITE,
    auditedDenials: true,
  },
  {
    name: 'vitals',
    method: 'POST',
    path: (id) => `/api/sessions/${id}/vitals`,
    body: () => ({
      clientId: `m-${++counter}`,
      readings: [{ kind: 'spo2', value: 97, measuredAt: at }],
    }),
    expect: WRITE,
    auditedDenials: true,
  },
  {
    name: 'help',
    method: 'POST',
    path: (id) => `/api/sessions/${id}/help`,
    body: () => ({ clientId: `m-${++counter}` }),
    expect: WRITE,
    auditedDenials: true,
  },
  {
    name: 'admin assignments',
    method: 'GET',
    path: () => `/api/admin/assignments`,
    expect: ADMIN,
    auditedDenials: false,
  },
];

describe('access-control matrix: every route x every kind of caller', () => {
  let t: TestApp;
  const users = {} as Record<Exclude<Actor, 'anonymous'>, TestUser>;
  const tokens = {} as Record<Actor, string | undefined>;
  let sessionA: string;
  let sessionB: string;

  beforeAll(async () => {
    t = await createTestApp();
    const ds = t.dataSource;
    users.patientA = await makeUser(ds, 'patient');
    users.patientB = await makeUser(ds, 'patient');
    users.clinicianAssigned = await makeUser(ds, 'clinician');
    users.clinicianNotAssigned = await makeUser(ds, 'clinician');
    users.clinicianAssignmentEnded = await makeUser(ds, 'clinician');
    users.supervisor = await makeUser(ds, 'supervisor');
    await assign(ds, users.clinicianAssigned, users.patientA);
    await assign(ds, users.clinicianNotAssigned, users.patientB);
    await assign(
      ds,
      users.clinicianAssignmentEnded,
      users.patientA,
      new Date(Date.now() - 7200_000),
      new Date(Date.now() - 3600_000),
    );
    sessionA = await makeSession(ds, {
      patient: users.patientA,
      clinician: users.clinicianAssigned,
    });
    sessionB = await makeSession(ds, {
      patient: users.patientB,
      clinician: users.clinicianNotAssigned,
    });
    tokens.anonymous = undefined;
    for (const actor of ACTORS.filter((a): a is Exclude<Actor, 'anonymous'> => a !== 'anonymous')) {
      tokens[actor] = (await login(t.url, users[actor])).accessToken;
    }
  });
  afterAll(() => t.close());

  const cases = ROUTES.flatMap((route) =>
    ACTORS.map((actor) => [route.name, actor, route] as const),
  );

  it.each(cases)("%s as %s on patient A's session", async (_name, actor, route) => {
    const res = await http(t.url, route.method, route.path(sessionA), {
      token: tokens[actor],
      body: route.body?.(),
    });
    expect(res.status).toBe(route.expect[actor]);
    if (res.status >= 400) {
      expect(res.body).toEqual({
        statusCode: res.status,
        error: expect.any(String),
        message: expect.any(String),
      });
      // a denial says nothing about the session: not its patient, not its state
      expect(JSON.stringify(res.body)).not.toContain(users.patientA.name);
    }
    if (route.auditedDenials && (res.status === 404 || res.status === 403)) {
      const rows = await auditRows(t.dataSource, {
        actorId: users[actor as Exclude<Actor, 'anonymous'>].id,
        outcome: 'denied',
        entityId: sessionA,
      });
      expect(rows.length).toBeGreaterThan(0);
    }
  });

  it('a session that does not exist answers exactly like one the caller may not see', async () => {
    const missing = await http(t.url, 'GET', `/api/sessions/00000000-0000-4000-8000-000000000000`, {
      token: tokens.patientB,
    });
    const hidden = await http(t.url, 'GET', `/api/sessions/${sessionA}`, {
      token: tokens.patientB,
    });
    expect(missing).toEqual(hidden);
  });

  it.each(ACTORS)(
    'the session list as %s holds exactly what that caller may see',
    async (actor) => {
      const res = await http(t.url, 'GET', '/api/sessions?state=live', { token: tokens[actor] });
      if (actor === 'anonymous') {
        expect(res.status).toBe(401);
        return;
      }
      expect(res.status).toBe(200);
      const ids = (res.body as Array<{ id: string }>).map((s) => s.id).sort();
      const expected: Record<Actor, string[]> = {
        anonymous: [],
        patientA: [sessionA],
        patientB: [sessionB],
        clinicianAssigned: [sessionA],
        clinicianNotAssigned: [sessionB],
        clinicianAssignmentEnded: [],
        supervisor: [sessionA, sessionB].sort(),
      };
      expect(ids).toEqual(expected[actor]);
    },
  );

  it('every successful read of patient data is audited', async () => {
    await http(t.url, 'GET', `/api/sessions/${sessionA}`, { token: tokens.supervisor });
    const rows = await auditRows(t.dataSource, {
      actorId: users.supervisor.id,
      action: 'session.read',
      outcome: 'success',
      entityId: sessionA,
    });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0].patient_id).toBe(users.patientA.patientId);
  });

  it('the audit trail refuses UPDATE and DELETE at the database', async () => {
    await expect(t.dataSource.query(`UPDATE audit_events SET action = 'x'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(t.dataSource.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
  });
});
