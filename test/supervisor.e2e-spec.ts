import { auditViewOf } from '@vigil/contracts';
import { ManualClock } from '../apps/api/src/common/clock';
import { assign, http, login, makeSession, makeUser, type TestUser } from './support/factories';
import { alertsOf, flow, manual, MINUTE, settle } from './support/clinical';
import { runAbortedSession, runSignedOffSession } from './support/supervisor-scenario';
import { createTestApp, type TestApp } from './support/test-app';

const START = new Date('2026-11-20T09:00:00.000Z');

describe('supervisor API: history, alert figures, REMS report, audit log (real HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let sup: TestUser;
  let clinA: TestUser;
  let clinB: TestUser;
  let patA: TestUser;
  let patB: TestUser;
  const tok: Record<string, string> = {};
  let ended: string;
  let aborted: string;
  let dosedAt: Date;

  beforeAll(async () => {
    t = await createTestApp({ clock: new ManualClock(START) });
    const ds = t.dataSource;
    sup = await makeUser(ds, 'supervisor', 'Sue Pervisor');
    clinA = await makeUser(ds, 'clinician', 'Dr Ada');
    clinB = await makeUser(ds, 'clinician', 'Dr Bea');
    patA = await makeUser(ds, 'patient', 'Pat A');
    patB = await makeUser(ds, 'patient', 'Pat B');
    await assign(ds, clinA, patA, new Date(START.getTime() - 3600_000));
    await assign(ds, clinB, patB, new Date(START.getTime() - 3600_000));
    for (const [k, u] of Object.entries({ sup, clinA, clinB, patA, patB })) {
      tok[k] = (await login(t.url, u)).accessToken;
    }
    ended = await makeSession(ds, {
      patient: patA,
      clinician: clinA,
      state: 'scheduled',
      dosedAt: null,
    });
    aborted = await makeSession(ds, {
      patient: patB,
      clinician: clinB,
      state: 'scheduled',
      dosedAt: null,
    });
    ({ dosedAt } = await runSignedOffSession(t, ended, {
      patient: tok.patA,
      clinician: tok.clinA,
    }));
    await runAbortedSession(t, aborted, { patient: tok.patB, clinician: tok.clinB });
  });
  afterAll(() => t.close());

  const get = (path: string, token = tok.sup) => http(t.url, 'GET', path, { token });

  it('answers 403 to every other role on every supervisor route, and audits each refusal', async () => {
    const routes = [
      '/api/supervisor/sessions',
      '/api/supervisor/alert-figures',
      '/api/supervisor/accounts',
      `/api/supervisor/sessions/${ended}/report`,
      '/api/audit/events',
      '/api/audit/verify',
    ];
    for (const path of routes) {
      for (const who of ['clinA', 'patA']) {
        const res = await get(path, tok[who]);
        expect({ path, who, status: res.status }).toEqual({ path, who, status: 403 });
      }
      expect((await http(t.url, 'GET', path)).status).toBe(401);
    }
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'supervisor.denied' AND outcome = 'denied'`,
    );
    expect(n).toBe(routes.length * 2);
  });

  it('searches history with filters and server-side pagination, auditing the search', async () => {
    const all = await get('/api/supervisor/sessions');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 2, page: 1, pageSize: 25 });
    const byClinician = await get(`/api/supervisor/sessions?clinicianId=${clinA.id}`);
    expect(byClinician.body.items.map((s: { id: string }) => s.id)).toEqual([ended]);
    expect(byClinician.body.items[0]).toMatchObject({
      outcome: 'signed_off',
      state: 'ended',
      clinician: { id: clinA.id, name: 'Dr Ada' },
      patient: { name: 'Pat A' },
      escalations: expect.any(Number),
      monitoringMinutes: 130,
    });
    expect(byClinician.body.items[0].alerts.high).toBeGreaterThanOrEqual(1);
    const abortedOnly = await get('/api/supervisor/sessions?outcome=aborted');
    expect(abortedOnly.body.items.map((s: { id: string }) => s.id)).toEqual([aborted]);
    const withHigh = await get('/api/supervisor/sessions?alertPriority=high');
    expect(withHigh.body.items.map((s: { id: string }) => s.id)).toEqual([ended]);
    const byPatient = await get(
      `/api/supervisor/sessions?patientId=${patB.patientId}&state=aborted`,
    );
    expect(byPatient.body.total).toBe(1);
    const future = await get('/api/supervisor/sessions?from=2030-01-01T00:00:00Z');
    expect(future.body).toMatchObject({ items: [], total: 0 });
    const page2 = await get('/api/supervisor/sessions?pageSize=1&page=2');
    expect(page2.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(page2.body.items).toHaveLength(1);
    const [row] = await t.dataSource.query(
      `SELECT actor_id, detail FROM audit_events WHERE action = 'supervisor.sessions.search'
        ORDER BY seq DESC LIMIT 1`,
    );
    expect(row.actor_id).toBe(sup.id);
    expect(row.detail.filters).toEqual({ pageSize: 1, page: 2 });
    // A page past the last still says how many match (the pager reads "page 500 of 2").
    const past = await get('/api/supervisor/sessions?pageSize=1&page=500');
    expect(past.body).toMatchObject({ items: [], total: 2, page: 500 });
    const pastAborted = await get('/api/supervisor/sessions?outcome=aborted&pageSize=1&page=9');
    expect(pastAborted.body).toMatchObject({ items: [], total: 1 });
  });

  it.each([
    ['from=yesterday', 'from: must be an ISO 8601 date-time'],
    ['pageSize=500', 'pageSize: must be from 1 to 200'],
    ['page=0', 'page: must be at least 1'],
    ['clinicianId=nope', 'clinicianId: must be a UUID'],
    ['state=sleeping', 'state: must be live or a comma-separated list'],
    ['alertPriority=urgent', 'alertPriority: must be one of high, medium, low, info'],
    ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'to: must be after from'],
    ['clinician=x', 'clinician: unknown field'],
    ['page=1&page=2', 'page: must be given once'],
  ])('refuses history query %s with 400 naming the field', async (query, message) => {
    const res = await get(`/api/supervisor/sessions?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(message);
  });

  it('computes alert response figures: time to acknowledge per clinician and priority, rates per session-hour', async () => {
    const from = new Date(dosedAt.getTime() - MINUTE).toISOString();
    const res = await get(`/api/supervisor/alert-figures?from=${from}`);
    expect(res.status).toBe(200);
    expect(res.body.sessions).toBe(1);
    expect(res.body.sessionHours).toBeCloseTo(130 / 60, 2);
    const high = res.body.byPriority.find((p: { priority: string }) => p.priority === 'high');
    expect(high).toMatchObject({ acknowledged: 1, ackP50Seconds: 30, ackP90Seconds: 30 });
    expect(res.body.byClinician).toEqual([
      expect.objectContaining({ clinicianId: clinA.id, clinicianName: 'Dr Ada' }),
    ]);
    const help = res.body.byCondition.find((c: { condition: string }) => c.condition === 'help');
    expect(help).toEqual({ condition: 'help', alerts: 1, perSessionHour: expect.any(Number) });
    expect(help.perSessionHour).toBeCloseTo(60 / 130, 2);
    expect((await get('/api/supervisor/alert-figures?to=bad')).status).toBe(400);
  });

  it('builds the REMS-style report from the event log', async () => {
    const res = await get(`/api/supervisor/sessions/${ended}/report`);
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r.session).toMatchObject({
      id: ended,
      outcome: 'signed_off',
      clinician: { name: 'Dr Ada' },
    });
    expect(r.dose).toMatchObject({ mg: 100, route: 'oral' });
    expect(r.bloodPressure.beforeDosing).toMatchObject({ sbp: 148, dbp: 88, source: 'screening' });
    expect(r.bloodPressure.atPeakCheck).toMatchObject({
      sbp: 170,
      dbp: 100,
      minutesAfterDose: 45,
      targetMinutes: 45,
    });
    expect(r.bloodPressure.beforeEnd).toMatchObject({ sbp: 128, dbp: 82, minutesAfterDose: 130 });
    expect(r.sedation).toEqual({ occurred: true, baselineMoaas: 5, lowestMoaas: 3 });
    expect(r.dissociation).toEqual({ occurred: true, highestScore: 4 });
    expect(r.respiratoryDepression).toMatchObject({
      occurred: false,
      lowestSpo2: 95,
      lowestRespRate: 14,
    });
    expect(r.totalMonitoringMinutes).toBe(130);
    expect(r.readyToLeaveMinutes).toBe(130);
    expect(r.concomitantMedicines).toMatchObject({ bpRaising: true });
    expect(r.overrides).toEqual([
      expect.objectContaining({
        gate: 'end',
        reason: 'Reviewed by phone with the support person',
        by: clinA.id,
        byName: 'Dr Ada',
      }),
    ]);
    const [audit] = await t.dataSource.query(
      `SELECT patient_id, detail FROM audit_events WHERE action = 'supervisor.report.read'
        ORDER BY seq DESC LIMIT 1`,
    );
    expect(audit).toEqual({
      patient_id: patA.patientId,
      detail: { format: 'json', requestId: expect.any(String) },
    });
  });

  it('says in the REMS report of an aborted session who aborted it, when and why (CLINICAL.md)', async () => {
    const r = (await get(`/api/supervisor/sessions/${aborted}/report`)).body;
    expect(r.session.outcome).toBe('aborted');
    expect(r.abortReason).toBe('Patient declined');
    expect(r.aborted).toEqual({ by: clinB.id, byName: 'Dr Bea', at: expect.any(String) });
    expect((await get(`/api/supervisor/sessions/${ended}/report`)).body.aborted).toBeNull();
    const res = await fetch(`${t.url}/api/supervisor/sessions/${aborted}/report?format=csv`, {
      headers: { authorization: `Bearer ${tok.sup}` },
    });
    const [header, row] = (await res.text()).trim().split('\r\n');
    expect(row.split(',')[header.split(',').indexOf('aborted_by')]).toBe('Dr Bea');
  });

  it('serves the report as CSV, with formula-like text defused', async () => {
    const res = await fetch(`${t.url}/api/supervisor/sessions/${ended}/report?format=csv`, {
      headers: { authorization: `Bearer ${tok.sup}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain(`session-${ended}-rems.csv`);
    const [header, row] = (await res.text()).trim().split('\r\n');
    const cols = header.split(',');
    const cells = row.split(',');
    const cell = (name: string) => cells[cols.indexOf(name)];
    expect(cell('bp_before_dosing')).toBe('148/88');
    expect(cell('bp_peak_check')).toBe('170/100');
    expect(cell('sedation')).toBe('yes');
    expect(cell('ready_to_leave_minutes')).toBe('130');
    expect((await get(`/api/supervisor/sessions/${ended}/report?format=pdf`)).body.message).toBe(
      'format: must be json or csv',
    );
    expect((await get(`/api/supervisor/sessions/${crypto.randomUUID()}/report`)).status).toBe(404);
  });

  it('shows the audit log filtered by user, patient, action, outcome and time; viewing it is audited', async () => {
    const byActor = await get(`/api/audit/events?actorId=${clinA.id}&action=session.*`);
    expect(byActor.status).toBe(200);
    expect(byActor.body.items.length).toBeGreaterThan(0);
    for (const e of byActor.body.items) {
      expect(e.actor).toMatchObject({ id: clinA.id, name: 'Dr Ada' });
      expect(e.action.startsWith('session.')).toBe(true);
    }
    const denied = await get('/api/audit/events?outcome=denied&pageSize=5');
    expect(denied.body.items.every((e: { outcome: string }) => e.outcome === 'denied')).toBe(true);
    expect(denied.body.total).toBeGreaterThanOrEqual(12);
    const byPatient = await get(`/api/audit/events?patientId=${patB.patientId}`);
    // Rows about the patient, and list reads that showed her (detail.patientIds), nothing else.
    const about = (e: { patientId: string | null; detail: { patientIds?: string[] } }) =>
      e.patientId === patB.patientId || !!e.detail.patientIds?.includes(patB.patientId!);
    expect(byPatient.body.items.every(about)).toBe(true);
    expect(byPatient.body.items.some((e: { patientId: string | null }) => !e.patientId)).toBe(true);
    const seqs = byPatient.body.items.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const none = await get('/api/audit/events?to=2020-01-01T00:00:00Z');
    expect(none.body).toMatchObject({ items: [], total: 0 });
    const [row] = await t.dataSource.query(
      `SELECT actor_id, detail FROM audit_events WHERE action = 'audit.read' ORDER BY seq DESC LIMIT 1`,
    );
    expect(row).toEqual({
      actor_id: sup.id,
      detail: {
        filters: { to: '2020-01-01T00:00:00Z' },
        returned: 0,
        requestId: expect.any(String),
      },
    });
    expect((await get('/api/audit/events?action=DROP%20TABLE')).body.message).toMatch(/^action: /);
  });

  it('separates clinical actions and access from the stream of vitals submissions (view)', async () => {
    const view = async (v: string, extra = '') => {
      const res = await get(`/api/audit/events?view=${v}&pageSize=200${extra}`);
      expect(res.status).toBe(200);
      return res.body as {
        items: Array<{ action: string; patientId: string | null }>;
        total: number;
      };
    };
    const submissions = await view('submissions');
    expect(submissions.total).toBeGreaterThan(0);
    expect(submissions.items.every((e) => e.action === 'vitals.submit')).toBe(true);
    const clinical = await view('clinical');
    const clinicalActions = new Set(clinical.items.map((e) => e.action));
    for (const a of ['alert.acknowledge', 'help.request', 'checkin.submit']) {
      expect(clinicalActions.has(a)).toBe(true);
    }
    for (const e of clinical.items) expect(auditViewOf(e.action)).toBe('clinical');
    const access = await view('access');
    const accessActions = new Set(access.items.map((e) => e.action));
    for (const a of ['auth.login', 'audit.read', 'supervisor.report.read']) {
      expect(accessActions.has(a)).toBe(true);
    }
    for (const e of access.items) expect(auditViewOf(e.action)).toBe('access');
    const forPatient = await view('clinical', `&patientId=${patA.patientId}`);
    expect(forPatient.total).toBeGreaterThan(0);
    expect(forPatient.items.every((e) => e.patientId === patA.patientId)).toBe(true);
    expect((await get('/api/audit/events?view=everything')).body.message).toBe(
      'view: must be clinical, access or submissions',
    );
  });

  it('lists accounts with their assignment history', async () => {
    const res = await get('/api/supervisor/accounts');
    expect(res.status).toBe(200);
    const ada = res.body.find((a: { id: string }) => a.id === clinA.id);
    expect(ada).toMatchObject({ role: 'clinician', active: true, patientId: null });
    expect(ada.assignments).toEqual([
      expect.objectContaining({ patientId: patA.patientId, otherName: 'Pat A', validUntil: null }),
    ]);
    expect(res.body.find((a: { id: string }) => a.id === patA.id).patientId).toBe(patA.patientId);
  });
  /** A new patient with an assigned clinician, both signed in, monitored since now. */
  async function ward(label: string) {
    const ds = t.dataSource;
    const patient = await makeUser(ds, 'patient', `Pat ${label}`);
    const clinician = await makeUser(ds, 'clinician', `Dr ${label}`);
    await assign(ds, clinician, patient, new Date(START.getTime() - 3600_000));
    const token = {
      patient: (await login(t.url, patient)).accessToken,
      clinician: (await login(t.url, clinician)).accessToken,
    };
    const id = await makeSession(ds, {
      patient,
      clinician,
      state: 'monitoring',
      dosedAt: manual(t).now(),
    });
    const typedSpo2 = async (value: number) => {
      const res = await flow(t, token.patient, id).post('vitals', {
        clientId: `typed-${label}-${value}`,
        readings: [
          { kind: 'spo2', value, measuredAt: manual(t).now().toISOString(), source: 'manual' },
        ],
      });
      expect(res.status).toBe(201);
      await settle(t);
    };
    return { patient, clinician, token, id, typedSpo2 };
  }

  it("judges respiratory depression in the REMS report by the patient's SpO2 limit in force, as the alert engine did", async () => {
    const w = await ward('Override');
    const put = await http(t.url, 'PUT', `/api/patients/${w.patient.patientId}/overrides/spo2Low`, {
      token: w.token.clinician,
      body: { value: 93, reason: 'Tighter SpO2 watch' },
    });
    expect(put.status).toBe(200);
    await w.typedSpo2(92);
    expect(await alertsOf(t.dataSource, w.id)).toEqual([
      expect.objectContaining({ condition: 'spo2_low', priority: 'high' }),
    ]);
    const r = (await get(`/api/supervisor/sessions/${w.id}/report`)).body;
    expect(r.respiratoryDepression).toMatchObject({ occurred: true, limits: { spo2: 93 } });
  });

  it('times a response to an acknowledged alert opened again by a priority rise from the rise', async () => {
    const w = await ward('Rise');
    await w.typedSpo2(93);
    const [alert] = await alertsOf(t.dataSource, w.id);
    expect(alert).toMatchObject({ condition: 'spo2_low', priority: 'medium' });
    const ack = () =>
      http(t.url, 'POST', `/api/alerts/${alert.id}/acknowledge`, {
        token: w.token.clinician,
        body: {},
      });
    manual(t).advance(30_000);
    expect((await ack()).status).toBe(200);
    manual(t).advance(4 * MINUTE);
    await w.typedSpo2(90);
    expect((await alertsOf(t.dataSource, w.id))[0]).toMatchObject({
      status: 'open',
      priority: 'high',
    });
    manual(t).advance(20_000);
    expect((await ack()).status).toBe(200);
    const from = new Date(manual(t).now().getTime() - 10 * MINUTE).toISOString();
    const res = await get(`/api/supervisor/alert-figures?from=${from}`);
    const mine = res.body.byClinician.find(
      (c: { clinicianId: string }) => c.clinicianId === w.clinician.id,
    );
    // Answered within 20 s of the rise; timed from the first raise it read 4 min 50 s.
    expect(mine).toMatchObject({ alerts: 1, acknowledged: 1, ackP50Seconds: 20 });
  });
});
