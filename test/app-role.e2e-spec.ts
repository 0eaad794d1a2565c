import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { migrateDatabase } from '../apps/api/src/database/migrate-database';
import { assign, http, login, makeSession, makeUser } from './support/factories';
import { createTestApp, createTestDatabase, type TestApp } from './support/test-app';

/**
 * Least privilege as compose deploys it: the owner migrates and grants DATABASE_APP_ROLE; the API
 * runs as that role. It works end to end, and it cannot touch the audit trail or the event log
 * behind the app's back, disable the audit triggers, or change the schema.
 */
describe('the API as its own database role', () => {
  const role = `vigil_app_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let admin: Client;
  let asApp: Client;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Roles are cluster-wide: made and dropped from the server's admin database.
    admin = new Client({ connectionString: process.env.VIGIL_TEST_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    await migrateDatabase(db.url, { appRole: role });
    const appUrl = new URL(db.url);
    appUrl.username = role;
    appUrl.password = password;
    asApp = new Client({ connectionString: appUrl.toString() });
    await asApp.connect();
    t = await createTestApp({ databaseUrl: appUrl.toString() });
  });

  afterAll(async () => {
    await t?.close();
    await asApp?.end();
    await db?.drop();
    await admin?.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
    await admin?.end();
  });

  it('runs a session end to end: login, check-in, help (an alert), reads, all audited', async () => {
    const patient = await makeUser(t.dataSource, 'patient');
    const clinician = await makeUser(t.dataSource, 'clinician');
    await assign(t.dataSource, clinician, patient);
    const sessionId = await makeSession(t.dataSource, { patient, clinician });
    const p = await login(t.url, patient);
    const c = await login(t.url, clinician);
    const checkIn = await http(t.url, 'POST', `/api/sessions/${sessionId}/check-ins`, {
      token: p.accessToken,
      body: { clientId: randomUUID(), moaas: 4 },
    });
    expect(checkIn.status).toBe(201);
    const help = await http(t.url, 'POST', `/api/sessions/${sessionId}/help`, {
      token: p.accessToken,
      body: { clientId: randomUUID() },
    });
    expect(help.status).toBe(201);
    const events = await http(t.url, 'GET', `/api/sessions/${sessionId}/events?after=0`, {
      token: c.accessToken,
    });
    expect(events.status).toBe(200);
    const [{ count }] = (await asApp.query(`SELECT count(*)::int AS count FROM audit_events`))
      .rows as Array<{ count: number }>;
    expect(count).toBeGreaterThan(3);
  });

  it('reads the deployment id its Redis channels are named after', async () => {
    const { rows } = await asApp.query(`SELECT id FROM deployment`);
    expect(rows).toHaveLength(1);
  });

  it.each([
    ['change an audit row', `UPDATE audit_events SET action = 'x'`, /permission denied/],
    ['delete audit rows', `DELETE FROM audit_events`, /permission denied/],
    ['truncate the audit trail', `TRUNCATE audit_events`, /permission denied/],
    [
      'switch off the audit triggers',
      `ALTER TABLE audit_events DISABLE TRIGGER ALL`,
      /must be owner/,
    ],
    ['rewrite the event log', `UPDATE session_events SET seq = seq`, /permission denied/],
    ['delete from the event log', `DELETE FROM session_events`, /permission denied/],
    ['create a table', `CREATE TABLE sneaky (id int)`, /permission denied/],
    ['drop a table', `DROP TABLE sessions`, /must be owner/],
    ['mark a migration applied', `DELETE FROM migrations`, /permission denied/],
    [
      "take another deployment's Redis channels",
      `UPDATE deployment SET id = gen_random_uuid()`,
      /permission denied/,
    ],
  ])('may not %s', async (_what, sql, error) => {
    await expect(asApp.query(sql)).rejects.toThrow(error);
  });

  it('applies the grants again on every migrate (idempotent)', async () => {
    await expect(migrateDatabase(db.url, { appRole: role })).resolves.toEqual([]);
    await expect(asApp.query(`UPDATE audit_events SET action = 'x'`)).rejects.toThrow(
      /permission denied/,
    );
  });
});
