import { assign, http, login, makeSession, makeUser, type TestUser } from './support/factories';
import { settle } from './support/clinical';
import { createTestApp, type TestApp } from './support/test-app';
import { whereOf } from '../apps/api/src/modules/audit/audit-log.service';

/**
 * "Who looked at Pat One's record?" as a privacy officer answers it: the supervisor's audit log
 * page (AuditLogPage.tsx) with the Patient picker set to Pat One, i.e.
 * `GET /api/audit/events?patientId=<Pat One's patient id>&view=...`. Every read that showed Pat
 * One's data (name, session, alerts...) must be findable there, and so must every refusal to
 * show it (docs/API.md: "Every successful read is audited", ARCHITECTURE.md: "audit_events is the
 * record of who read and did what").
 */
interface Row {
  action: string;
  outcome: string;
  actor: { id: string } | null;
  patientId: string | null;
  entityId: string | null;
  detail: Record<string, unknown>;
}

describe('audit log filtered by patient: who saw Pat One', () => {
  let t: TestApp;
  let sup: TestUser;
  let officer: TestUser;
  let clin: TestUser;
  let stranger: TestUser;
  let pat: TestUser;
  let other: TestUser;
  let sessionId: string;
  let supTok: string;
  let officerTok: string;
  let clinTok: string;
  let strangerTok: string;

  /** The query the audit log page makes with the Patient picker on Pat One. */
  async function logFor(patientId: string, view: string | null): Promise<Row[]> {
    const q = new URLSearchParams({ page: '1', pageSize: '200', patientId });
    if (view) q.set('view', view);
    const res = await http(t.url, 'GET', `/api/audit/events?${q.toString()}`, {
      token: officerTok,
    });
    expect(res.status).toBe(200);
    return res.body.items as Row[];
  }
  const by = (rows: Row[], actorId: string, action: string, outcome = 'success') =>
    rows.filter((r) => r.actor?.id === actorId && r.action === action && r.outcome === outcome);

  beforeAll(async () => {
    t = await createTestApp();
    sup = await makeUser(t.dataSource, 'supervisor', 'Sam Supervisor');
    officer = await makeUser(t.dataSource, 'supervisor', 'Pia Privacy');
    clin = await makeUser(t.dataSource, 'clinician', 'Cleo Clinician');
    stranger = await makeUser(t.dataSource, 'clinician', 'Stan Stranger');
    pat = await makeUser(t.dataSource, 'patient', 'Pat One');
    other = await makeUser(t.dataSource, 'patient', 'Pat Two');
    await assign(t.dataSource, clin, pat);
    await assign(t.dataSource, stranger, other);
    sessionId = await makeSession(t.dataSource, { patient: pat, clinician: clin });
    await makeSession(t.dataSource, { patient: other, clinician: stranger });
    supTok = (await login(t.url, sup)).accessToken;
    officerTok = (await login(t.url, officer)).accessToken;
    clinTok = (await login(t.url, clin)).accessToken;
    strangerTok = (await login(t.url, stranger)).accessToken;
  });
  afterAll(async () => {
    await t.close();
  });

  it("a clinician's GET /api/sessions list that showed Pat One's session is found by Pat One", async () => {
    const res = await http(t.url, 'GET', '/api/sessions?state=live', { token: clinTok });
    expect(res.status).toBe(200);
    const seen = (res.body as Array<{ id: string; patient: { name: string } }>).find(
      (s) => s.id === sessionId,
    );
    expect(seen?.patient.name).toBe('Pat One');

    // The row exists (it names the session in its detail)...
    const [raw] = await t.dataSource.query(
      `SELECT patient_id, detail FROM audit_events WHERE action = 'session.list' AND actor_id = $1`,
      [clin.id],
    );
    expect(raw.detail.sessionIds).toContain(sessionId);
    // ...but the privacy officer's filter by patient does not find it.
    const rows = await logFor(pat.patientId!, 'access');
    expect(by(rows, clin.id, 'session.list')).toHaveLength(1);
  });

  it("a supervisor's unfiltered history search that listed Pat One's session is found by Pat One", async () => {
    const res = await http(t.url, 'GET', '/api/supervisor/sessions', { token: supTok });
    expect(res.status).toBe(200);
    const seen = (res.body.items as Array<{ id: string; patient: { name: string } }>).find(
      (s) => s.id === sessionId,
    );
    expect(seen?.patient.name).toBe('Pat One');

    const rows = await logFor(pat.patientId!, 'access');
    expect(by(rows, sup.id, 'supervisor.sessions.search')).toHaveLength(1);
  });

  it("a supervisor's accounts read that listed Pat One (name, email, clinician) is found by Pat One", async () => {
    const res = await http(t.url, 'GET', '/api/supervisor/accounts', { token: supTok });
    expect(res.status).toBe(200);
    const row = (res.body as Array<{ name: string; patientId: string | null }>).find(
      (a) => a.patientId === pat.patientId,
    );
    expect(row?.name).toBe('Pat One');

    const rows = await logFor(pat.patientId!, 'access');
    expect(by(rows, sup.id, 'supervisor.accounts.read')).toHaveLength(1);
  });

  it("the session's FHIR export carries the list and search reads that showed it as AuditEvents", async () => {
    // Runs after the two list reads above. API.md: "one `AuditEvent` per audit row about the
    // session"; fhir-bundle.ts's auditVerb even maps `.list` and `.search` actions to 'R'.
    // Control: a read of the session by id does show up.
    expect(
      (await http(t.url, 'GET', `/api/sessions/${sessionId}`, { token: clinTok })).status,
    ).toBe(200);
    const res = await fetch(`${t.url}/api/sessions/${sessionId}/fhir`, {
      headers: { authorization: `Bearer ${officerTok}` },
    });
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as {
      entry: Array<{ resource: { resourceType: string; subtype?: Array<{ code: string }> } }>;
    };
    const actions = bundle.entry
      .filter((e) => e.resource.resourceType === 'AuditEvent')
      .map((e) => e.resource.subtype?.[0]?.code);
    expect(actions).toContain('session.read');
    expect(actions).toEqual(expect.arrayContaining(['session.list', 'supervisor.sessions.search']));
  });

  it("a clinician refused Pat One's REMS report is found by Pat One (and the row names the session)", async () => {
    const res = await http(t.url, 'GET', `/api/supervisor/sessions/${sessionId}/report`, {
      token: strangerTok,
    });
    expect(res.status).toBe(403);
    const [raw] = await t.dataSource.query(
      `SELECT entity_id, patient_id, detail FROM audit_events
        WHERE action = 'supervisor.denied' AND actor_id = $1`,
      [stranger.id],
    );
    // Which session was asked for is on record somewhere in the row (the entity stays the route,
    // as API.md documents; the session is in the detail, where the FHIR trail finds it).
    expect(JSON.stringify(raw)).toContain(sessionId);

    const rows = await logFor(pat.patientId!, 'access');
    expect(by(rows, stranger.id, 'supervisor.denied', 'denied')).toHaveLength(1);
  });

  it("an unassigned clinician refused on Pat One's alert is found by Pat One", async () => {
    const patTok = (await login(t.url, pat)).accessToken;
    expect(
      (
        await http(t.url, 'POST', `/api/sessions/${sessionId}/help`, {
          token: patTok,
          body: { clientId: 'help-1' },
        })
      ).status,
    ).toBe(201);
    await settle(t);
    const [alert] = await t.dataSource.query(
      `SELECT id FROM alerts WHERE session_id = $1 AND condition = 'help'`,
      [sessionId],
    );
    expect(alert).toBeDefined();
    const res = await http(t.url, 'POST', `/api/alerts/${alert.id}/acknowledge`, {
      token: strangerTok,
      body: {},
    });
    expect(res.status).toBe(404);
    // Its sibling refusal, a read of the same session's alerts, is recorded with the patient:
    const read = await http(t.url, 'GET', `/api/sessions/${sessionId}/alerts`, {
      token: strangerTok,
    });
    expect(read.status).toBe(404);

    const rows = await logFor(pat.patientId!, null);
    expect(by(rows, stranger.id, 'session.alerts.read', 'denied')).toHaveLength(1);
    expect(by(rows, stranger.id, 'alert.acknowledge', 'denied')).toHaveLength(1);
  });

  it('(holds) per-patient reads and refusals are found by Pat One', async () => {
    const get = (tok: string, path: string) => http(t.url, 'GET', path, { token: tok });
    expect(
      (await get(supTok, `/api/supervisor/sessions/${sessionId}/report?format=csv`)).status,
    ).toBe(200);
    expect((await get(clinTok, `/api/sessions/${sessionId}/fhir`)).status).toBe(200);
    expect((await get(clinTok, `/api/patients/${pat.patientId}/devices`)).status).toBe(200);
    expect((await get(clinTok, `/api/patients/${pat.patientId}/overrides`)).status).toBe(200);
    expect((await get(clinTok, `/api/sessions/${sessionId}/contacts`)).status).toBe(200);
    expect((await get(strangerTok, `/api/sessions/${sessionId}`)).status).toBe(404);
    expect((await get(strangerTok, `/api/sessions/${sessionId}/events`)).status).toBe(404);
    expect((await get(strangerTok, `/api/patients/${pat.patientId}/devices`)).status).toBe(404);
    expect((await get(strangerTok, `/api/patients/${pat.patientId}/overrides`)).status).toBe(404);
    expect((await get(supTok, `/api/supervisor/sessions?patientId=${pat.patientId}`)).status).toBe(
      200,
    );
    const rows = await logFor(pat.patientId!, null);
    const found = (actor: string, action: string, outcome = 'success') =>
      by(rows, actor, action, outcome).length > 0;
    expect({
      report: found(sup.id, 'supervisor.report.read'),
      fhir: found(clin.id, 'session.fhir.export'),
      devices: found(clin.id, 'device.list'),
      contacts: found(clin.id, 'session.contacts.read'),
      searchByPatient: found(sup.id, 'supervisor.sessions.search'),
      deniedRead: found(stranger.id, 'session.read', 'denied'),
      deniedEvents: found(stranger.id, 'session.events.read', 'denied'),
      deniedDevices: found(stranger.id, 'device.list', 'denied'),
    }).toEqual({
      report: true,
      fhir: true,
      devices: true,
      contacts: true,
      searchByPatient: true,
      deniedRead: true,
      deniedEvents: true,
      deniedDevices: true,
    });
    const overrideRows = rows.filter((r) => r.actor?.id === clin.id || r.actor?.id === stranger.id);
    expect(overrideRows.some((r) => r.action.includes('override'))).toBe(true);
  });

  it('the patient filter is answered from indexes, not by scanning the log', async () => {
    // A test database is too small for the planner to choose an index on its own: forbid scans.
    const where = whereOf({ patientId: pat.patientId! });
    const plan = await t.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL enable_seqscan = off`);
      const rows: Array<{ 'QUERY PLAN': string }> = await m.query(
        `EXPLAIN SELECT a.seq FROM audit_events a WHERE ${where.sql}`,
        where.params,
      );
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('audit_events_patient');
    expect(plan).toContain('audit_events_patients_shown');
    expect(plan).not.toContain('Seq Scan');
  });

  it("deactivating Pat One's account is found by Pat One", async () => {
    const res = await http(t.url, 'POST', `/api/admin/accounts/${pat.id}/deactivate`, {
      token: supTok,
    });
    expect(res.status).toBe(201);
    const rows = await logFor(pat.patientId!, 'clinical');
    expect(by(rows, sup.id, 'account.deactivate')).toHaveLength(1);
  });
});
