import { createTestApp, createTestDatabase } from './support/test-app';

/**
 * Demo mode keeps the simulator's patients seeded: `npm start -- --sessions 200` used to have the
 * simulator create sim13..sim200 through the admin API, whose password policy refuses the demo
 * password, so only the seeded dozen ever went live.
 */
describe('demo seed: simulated patients', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  const boot = (count: number) =>
    createTestApp({
      databaseUrl: database.url,
      env: { VIGIL_MODE: 'demo', DEMO_SIMULATED_PATIENTS: String(count) },
    });

  const login = (url: string, email: string) =>
    fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'vigil-demo' }),
    });

  const simulated = async (app: Awaited<ReturnType<typeof boot>>) =>
    app.dataSource.query<
      Array<{ email: string; id: string; sessions: number; assignments: number }>
    >(
      `SELECT u.email, u.id, count(s.id)::int AS sessions, count(a.id)::int AS assignments
         FROM users u JOIN patients p ON p.user_id = u.id
         LEFT JOIN sessions s ON s.patient_id = p.id
         LEFT JOIN clinician_assignments a ON a.patient_id = p.id
        WHERE u.email LIKE 'sim%@vigil.demo' GROUP BY u.email, u.id ORDER BY u.email`,
    );

  it('seeds sim01..simN with the demo password, a clinician and a scheduled session each', async () => {
    const app = await boot(14);
    try {
      const rows = await simulated(app);
      expect(rows.map((r) => r.email)).toEqual(
        Array.from({ length: 14 }, (_, i) => `sim${String(i + 1).padStart(2, '0')}@vigil.demo`),
      );
      expect(rows.every((r) => r.sessions === 1 && r.assignments === 1)).toBe(true);
      expect((await login(app.url, 'sim14@vigil.demo')).status).toBe(200);
      const names: Array<{ name: string }> = await app.dataSource.query(
        `SELECT DISTINCT name FROM users WHERE email LIKE 'sim%@vigil.demo'`,
      );
      expect(names).toHaveLength(14);
    } finally {
      await app.close();
    }
  });

  it('adds only the missing ones on the next start, keeping the others as they were', async () => {
    const first = await boot(14);
    const before = await simulated(first);
    await first.close();
    const app = await boot(20);
    try {
      const rows = await simulated(app);
      expect(rows).toHaveLength(20);
      expect(rows.slice(0, 14)).toEqual(before);
      expect((await login(app.url, 'sim20@vigil.demo')).status).toBe(200);
      const [{ count }]: Array<{ count: number }> = await app.dataSource.query(
        `SELECT count(*)::int AS count FROM audit_events WHERE action = 'demo.seed'`,
      );
      // The empty-database seed, then one row for each start that added patients.
      expect(count).toBe(3);
    } finally {
      await app.close();
    }
  });
});
