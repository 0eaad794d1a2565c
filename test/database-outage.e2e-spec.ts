/**
 * A PostgreSQL restart as the API sees it (every connection terminated, then refused for a few
 * seconds, then accepted again): submissions during it are refused as a retry-later (503 with
 * Retry-After, an `unavailable` ack), not as a fault (500 / `internal`, logged as an error, and
 * a device that does not retry a 500 drops its reading); nothing unstored is acknowledged;
 * readiness comes back without a restart. (Found by a review: every refusal was a 500.)
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { systemClock } from '../apps/api/src/common/clock';
import { assign, http, login, makeSession, makeUser } from './support/factories';
import {
  connectLive,
  connected,
  sleep,
  submitCheckIn,
  type LiveClient,
} from './support/live-client';
import { StallProxy } from './support/stall-proxy';
import { createTestApp, createTestDatabase, type TestApp } from './support/test-app';

async function admin(sql: string, params: unknown[] = []): Promise<unknown[]> {
  const c = new Client({ connectionString: process.env.VIGIL_TEST_ADMIN_URL });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

describe('a PostgreSQL restart', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let proxy: StallProxy;
  let t: TestApp;
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await StallProxy.inFrontOf(database.url);
    t = await createTestApp({ databaseUrl: proxy.urlFor(database.url), clock: systemClock });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.close();
    await proxy.close();
    await database.drop();
  });

  const ready = async () => (await fetch(`${t.url}/api/health/ready`)).status;

  it('refuses submissions cleanly while down, acknowledges nothing unstored, and is ready again without a restart', async () => {
    const patient = await makeUser(t.dataSource, 'patient');
    const clinician = await makeUser(t.dataSource, 'clinician');
    await assign(t.dataSource, clinician, patient);
    const sessionId = await makeSession(t.dataSource, { patient, clinician });
    const { accessToken } = await login(t.url, patient);
    const phone = connectLive(t.url, accessToken);
    sockets.push(phone);
    await connected(phone);
    for (let i = 0; i < 50 && (await ready()) !== 200; i++) await sleep(200);
    expect(await ready()).toBe(200);

    // The restart: every backend terminated (57P01), then nothing listens for 6 s.
    const name = new URL(database.url).pathname.slice(1);
    await proxy.close();
    await admin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [name],
    );
    const acks: Array<{ clientId: string; ok: boolean; code?: string; status?: number }> = [];
    const down = Date.now();
    while (Date.now() - down < 6000) {
      const clientId = randomUUID();
      const res = await http(t.url, 'POST', `/api/sessions/${sessionId}/check-ins`, {
        token: accessToken,
        body: { clientId, moaas: 5 },
      });
      acks.push({ clientId, ok: res.status === 201 || res.status === 200, status: res.status });
      const sock = randomUUID();
      const ack = await submitCheckIn(phone, sessionId, sock).catch(
        () => ({ ok: false, error: { code: 'timeout' } }) as const,
      );
      acks.push({ clientId: sock, ok: ack.ok, code: ack.ok ? undefined : ack.error.code });
      await sleep(300);
    }
    proxy = new StallProxy(
      { host: '127.0.0.1', port: Number(new URL(database.url).port || 5432) },
      proxy.port,
    );
    await proxy.start();

    // Readiness comes back by itself.
    let back = -1;
    const upAt = Date.now();
    while (Date.now() - upAt < 20_000) {
      if ((await ready()) === 200) {
        back = Date.now() - upAt;
        break;
      }
      await sleep(250);
    }
    // and a submission works again
    const after = await http(t.url, 'POST', `/api/sessions/${sessionId}/check-ins`, {
      token: accessToken,
      body: { clientId: randomUUID(), moaas: 5 },
    });
    const stored = new Set(
      (
        await t.dataSource.query<Array<{ client_id: string }>>(
          `SELECT client_id FROM session_events WHERE session_id = $1 AND client_id IS NOT NULL`,
          [sessionId],
        )
      ).map((r) => r.client_id),
    );
    expect(acks.filter((a) => a.ok && !stored.has(a.clientId))).toEqual([]);
    expect(back).toBeGreaterThanOrEqual(0);
    expect(after.status).toBe(201);
    // Refused as "retry later", never as a fault.
    expect({
      rest: [...new Set(acks.filter((a) => a.status !== undefined).map((a) => a.status))],
      socket: [...new Set(acks.filter((a) => a.status === undefined).map((a) => a.code))],
    }).toEqual({ rest: [503], socket: ['unavailable'] });
  }, 120_000);
});
