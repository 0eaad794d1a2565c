import { ManualClock } from '../apps/api/src/common/clock';
import { http, login } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

describe('demo mode', () => {
  let t: TestApp;
  const startedAt = new Date('2026-11-26T09:00:00.000Z');

  beforeAll(async () => {
    t = await createTestApp({ env: { VIGIL_MODE: 'demo' }, clock: new ManualClock(startedAt) });
  });
  afterAll(() => t.close());

  it("seeds the contract's demo accounts, all with the demo password", async () => {
    for (const email of [
      'supervisor@vigil.demo',
      'clinician@vigil.demo',
      'clinician2@vigil.demo',
      'patient1@vigil.demo',
    ]) {
      const res = await login(t.url, { email }, 'vigil-demo');
      expect(res.user.name.length).toBeGreaterThan(0);
    }
  });

  it('gives patient1 one session in monitoring, dosed 10 minutes before start-up, that clinician sees and clinician2 does not', async () => {
    const patient = await login(t.url, { email: 'patient1@vigil.demo' }, 'vigil-demo');
    const mine = await http(t.url, 'GET', '/api/sessions?state=live', {
      token: patient.accessToken,
    });
    expect(mine.body).toHaveLength(1);
    expect(mine.body[0]).toMatchObject({
      state: 'monitoring',
      dosedAt: new Date(startedAt.getTime() - 600_000).toISOString(),
    });
    // Besides it, the next session, an hour after start-up, to try screening and the dose.
    const next = await http(t.url, 'GET', '/api/sessions?state=scheduled', {
      token: patient.accessToken,
    });
    expect(next.body).toHaveLength(1);
    expect(next.body[0]).toMatchObject({
      state: 'scheduled',
      scheduledFor: new Date(startedAt.getTime() + 3600_000).toISOString(),
      clinician: { name: 'Dr Casey Clinician' },
    });
    const clinician = await login(t.url, { email: 'clinician@vigil.demo' }, 'vigil-demo');
    const seen = await http(t.url, 'GET', '/api/sessions?state=live', {
      token: clinician.accessToken,
    });
    expect(seen.body.map((s: { id: string }) => s.id)).toContain(mine.body[0].id);
    const other = await login(t.url, { email: 'clinician2@vigil.demo' }, 'vigil-demo');
    expect(
      (await http(t.url, 'GET', `/api/sessions/${mine.body[0].id}`, { token: other.accessToken }))
        .status,
    ).toBe(404);
  });
});

describe('production mode', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('has no demo accounts', async () => {
    const res = await http(t.url, 'POST', '/api/auth/login', {
      body: { email: 'clinician@vigil.demo', password: 'vigil-demo' },
    });
    expect(res.status).toBe(401);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM users`);
    expect(n).toBe(0);
  });

  it('reports health while the database answers', async () => {
    const res = await http(t.url, 'GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: 'up' });
  });

  it('serves the OpenAPI document with the contract routes', async () => {
    const res = await http(t.url, 'GET', '/api/docs/openapi.json');
    expect(res.status).toBe(200);
    for (const path of [
      '/api/auth/login',
      '/api/sessions',
      '/api/sessions/{id}/events',
      '/api/sessions/{id}/check-ins',
      '/api/sessions/{id}/vitals',
      '/api/sessions/{id}/help',
    ]) {
      expect(Object.keys(res.body.paths)).toContain(path);
    }
  });

  it('answers 503 when the database is gone', async () => {
    const other = await createTestApp();
    await other.dataSource.destroy();
    const res = await http(other.url, 'GET', '/api/health');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'unavailable', database: 'down' });
    await other.close().catch(() => undefined);
  });
});
