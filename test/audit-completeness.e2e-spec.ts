import { Logger, type LoggerService } from '@nestjs/common';
import {
  assign,
  http,
  login,
  makeSession,
  makeUser,
  TEST_PASSWORD,
  type TestUser,
} from './support/factories';
import { connected, connectLive, submitCheckIn, watch } from './support/live-client';
import { settle } from './support/clinical';
import { createTestApp, type TestApp } from './support/test-app';

/** Everything the app logs, at every level, through Nest's logger. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private push = (level: string, args: unknown[]) =>
    this.lines.push(
      `${level} ${args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`,
    );
  log = (...a: unknown[]) => this.push('log', a);
  error = (...a: unknown[]) => this.push('error', a);
  warn = (...a: unknown[]) => this.push('warn', a);
  debug = (...a: unknown[]) => this.push('debug', a);
  verbose = (...a: unknown[]) => this.push('verbose', a);
  fatal = (...a: unknown[]) => this.push('fatal', a);
}

const NOTE = 'zebra-quartz-note';
const TEMPERATURE = 38.37;
const NEW_PASSWORD = 'another horse battery staple';

describe('audit completeness and log hygiene over a scripted run', () => {
  let t: TestApp;
  const logger = new CapturingLogger();
  const written: string[] = [];
  const restore: Array<() => void> = [];
  let sup: TestUser;
  let clin: TestUser;
  let pat: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    t.app.useLogger(logger);
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      stream.write = (chunk: unknown, ...rest: unknown[]) => {
        written.push(String(chunk));
        return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
      };
      restore.push(() => (stream.write = original));
    }
    for (const level of ['log', 'warn', 'error', 'info', 'debug'] as const) {
      const spy = jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        written.push(args.map(String).join(' '));
      });
      restore.push(() => spy.mockRestore());
    }
    sup = await makeUser(t.dataSource, 'supervisor');
    clin = await makeUser(t.dataSource, 'clinician');
    pat = await makeUser(t.dataSource, 'patient');
    await assign(t.dataSource, clin, pat);
  });
  afterAll(async () => {
    restore.forEach((r) => r());
    await t.close();
  });

  it('writes an audit row for every scripted read and action, and no secret or clinical value to the logs', async () => {
    const sessionId = await makeSession(t.dataSource, { patient: pat, clinician: clin });
    const p = await login(t.url, pat);
    const c = await login(t.url, clin);
    const s = await login(t.url, sup);
    expect(
      (
        await http(t.url, 'POST', '/api/auth/login', {
          body: { email: pat.email, password: 'wrong password!' },
        })
      ).status,
    ).toBe(401);
    const refreshed = await http(t.url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: c.refreshToken },
    });
    const ctok = refreshed.body.accessToken as string;
    const req = (token: string, method: string, path: string, body?: unknown) =>
      http(t.url, method, path, { token, body });

    await req(p.accessToken, 'POST', `/api/sessions/${sessionId}/check-ins`, {
      clientId: 'a1',
      moaas: 4,
      note: NOTE,
    });
    await req(p.accessToken, 'POST', `/api/sessions/${sessionId}/vitals`, {
      clientId: 'a2',
      readings: [
        { kind: 'temperature', value: TEMPERATURE, measuredAt: new Date().toISOString() },
        { kind: 'bp_systolic', value: 187, measuredAt: new Date().toISOString() },
      ],
    });
    await req(p.accessToken, 'POST', `/api/sessions/${sessionId}/help`, {
      clientId: 'a3',
      note: NOTE,
    });
    await settle(t);
    await req(ctok, 'GET', '/api/sessions?state=live');
    await req(ctok, 'GET', `/api/sessions/${sessionId}`);
    await req(ctok, 'GET', `/api/sessions/${sessionId}/events?after=0`);
    const alerts = await req(ctok, 'GET', `/api/sessions/${sessionId}/alerts`);
    const help = (alerts.body as Array<{ id: string; condition: string }>).find(
      (a) => a.condition === 'help',
    );
    expect((await req(ctok, 'POST', `/api/alerts/${help?.id}/acknowledge`, {})).status).toBe(200);

    const socket = connectLive(t.url, ctok);
    await connected(socket);
    expect((await watch(socket, sessionId)).ok).toBe(true);
    socket.close();
    const phone = connectLive(t.url, p.accessToken);
    await connected(phone);
    expect((await submitCheckIn(phone, sessionId, 'a4', { moaas: 5, note: NOTE })).ok).toBe(true);
    phone.close();

    const staff = await req(s.accessToken, 'POST', '/api/admin/staff', {
      email: 'new.clinician@test.vigil',
      name: 'New Clinician',
      password: NEW_PASSWORD,
    });
    const newPatient = await req(s.accessToken, 'POST', '/api/admin/patients', {
      email: 'new.patient@test.vigil',
      name: 'New Patient',
      password: NEW_PASSWORD,
    });
    const assignment = await req(s.accessToken, 'POST', '/api/admin/assignments', {
      clinicianId: staff.body.id,
      patientId: newPatient.body.patientId,
    });
    await req(s.accessToken, 'GET', '/api/admin/assignments');
    await req(s.accessToken, 'POST', `/api/admin/assignments/${assignment.body.id}/end`);
    await req(s.accessToken, 'POST', '/api/admin/sessions', {
      patientId: newPatient.body.patientId,
      clinicianId: clin.id,
      scheduledFor: new Date().toISOString(),
    });
    await req(s.accessToken, 'POST', `/api/admin/accounts/${staff.body.id}/deactivate`);
    await req(s.accessToken, 'GET', '/api/supervisor/sessions');
    await req(s.accessToken, 'GET', '/api/supervisor/alert-figures');
    await req(s.accessToken, 'GET', '/api/supervisor/accounts');
    await req(s.accessToken, 'GET', `/api/supervisor/sessions/${sessionId}/report`);
    await req(s.accessToken, 'GET', `/api/sessions/${sessionId}/fhir`);
    await req(s.accessToken, 'GET', '/api/audit/events');
    await req(s.accessToken, 'GET', '/api/audit/verify');
    await req(ctok, 'GET', '/api/audit/events');
    await req(ctok, 'POST', '/api/auth/logout');

    const rows: Array<{ action: string; outcome: string; actor_id: string | null }> =
      await t.dataSource.query(`SELECT action, outcome, actor_id FROM audit_events ORDER BY seq`);
    const seen = new Set(rows.map((r) => `${r.action}:${r.outcome}`));
    const expected = [
      'auth.login:success',
      'auth.login:denied',
      'auth.refresh:success',
      'auth.logout:success',
      'checkin.submit:success',
      'vitals.submit:success',
      'help.request:success',
      'session.list:success',
      'session.read:success',
      'session.events.read:success',
      'session.alerts.read:success',
      'alert.acknowledge:success',
      'session.watch:success',
      'account.create:success',
      'patient.create:success',
      'assignment.create:success',
      'assignment.list:success',
      'assignment.end:success',
      'session.schedule:success',
      'account.deactivate:success',
      'supervisor.sessions.search:success',
      'supervisor.alert_figures.read:success',
      'supervisor.accounts.read:success',
      'supervisor.report.read:success',
      'session.fhir.export:success',
      'audit.read:success',
      'audit.verify:success',
      'supervisor.denied:denied',
    ];
    expect(expected.filter((e) => !seen.has(e))).toEqual([]);
    // Two check-ins (REST and socket), each with its own row.
    expect(rows.filter((r) => r.action === 'checkin.submit')).toHaveLength(2);

    const secrets = [
      TEST_PASSWORD,
      NEW_PASSWORD,
      'wrong password!',
      p.accessToken,
      p.refreshToken,
      c.refreshToken,
      ctok,
      s.accessToken,
    ];
    const clinical = [NOTE, String(TEMPERATURE), 'SBP 187', '+44 7700 900000'];
    // The capture is live: a line logged through Nest's Logger lands in it.
    new Logger('CaptureCheck').warn('capture-canary');
    expect(logger.lines.some((l) => l.includes('capture-canary'))).toBe(true);
    const logText = [...logger.lines, ...written].join('\n');
    for (const needle of [...secrets, ...clinical]) {
      expect({ needle: needle.slice(0, 12), found: logText.includes(needle) }).toEqual({
        needle: needle.slice(0, 12),
        found: false,
      });
    }
    const [{ trail }] = await t.dataSource.query(
      `SELECT string_agg(concat_ws(' ', action, entity_id, detail::text, user_agent), E'\\n') AS trail FROM audit_events`,
    );
    for (const needle of secrets) expect(trail.includes(needle)).toBe(false);
  });
});
