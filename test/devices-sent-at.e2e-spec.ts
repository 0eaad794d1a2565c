/**
 * v1.14 on a paired device's socket: the device's outbox (libs/outbox, the simulator's devices)
 * stamps `vitals.submit` with `sentAt` as the phone's does, and its readings are aged for NEWS2
 * from before their wait alike. Its clock keeps the devices' one-minute rule.
 */
import type { SubmitAck } from '@vigil/contracts';
import { eventsOf, manual, MINUTE } from './support/clinical';
import { pairDevice } from './support/devices';
import { assign, auditRows, login, makeSession, makeUser } from './support/factories';
import { connectLive, connected, type LiveClient } from './support/live-client';
import { createTestApp, type TestApp } from './support/test-app';

describe("a paired device's sentAt (v1.14)", () => {
  let t: TestApp;
  let sessionId: string;
  let patient: Awaited<ReturnType<typeof makeUser>>;
  let clinicianToken: string;
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    patient = await makeUser(t.dataSource, 'patient');
    const clinician = await makeUser(t.dataSource, 'clinician');
    await assign(t.dataSource, clinician, patient);
    sessionId = await makeSession(t.dataSource, { patient, clinician });
    clinicianToken = (await login(t.url, clinician)).accessToken;
  });
  // The pairing and the session's start are the database's times: the server's clock is set to it.
  beforeEach(() => manual(t).set(new Date()));
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(() => t.close());

  const oximeter = async () => {
    const { credential, device } = await pairDevice(
      t.url,
      clinicianToken,
      patient,
      'pulse_oximeter',
    );
    const s = connectLive(t.url, credential);
    sockets.push(s);
    await connected(s);
    return { s, device };
  };
  const submit = (s: LiveClient, clientId: string, measuredAt: number, sentAt: number) =>
    s.timeout(10_000).emitWithAck('vitals.submit', {
      sessionId,
      clientId,
      readings: [{ kind: 'spo2', value: 96, measuredAt: new Date(measuredAt).toISOString() }],
      sentAt: new Date(sentAt).toISOString(),
    } as never) as Promise<SubmitAck>;

  it('stores how long each reading waited on the device; a retry with a later sentAt is a duplicate', async () => {
    const { s } = await oximeter();
    const now = manual(t).now().getTime();
    const first = await submit(s, 'ox-held', now - 3 * MINUTE, now);
    expect(first).toMatchObject({ ok: true, duplicate: false });
    expect(await submit(s, 'ox-held', now - 3 * MINUTE, now + 2000)).toEqual({
      ...first,
      duplicate: true,
    });
    const stored = (await eventsOf(t.dataSource, sessionId, 'vitals.recorded')).filter(
      (e) => e.seq === String((first as { seq: number }).seq),
    );
    expect(stored.map((e) => e.data.readings)).toEqual([
      [expect.objectContaining({ source: 'device', waitedMs: 3 * MINUTE })],
    ]);
  });

  it('refuses a sentAt more than a minute ahead of the server (invalid, naming it), audited, storing nothing', async () => {
    const { s, device } = await oximeter();
    const now = manual(t).now().getTime();
    const refused = await submit(s, 'ox-ahead', now, now + 5 * MINUTE);
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/^sentAt: more than a minute ahead/);
    expect(
      await auditRows(t.dataSource, { action: 'device.ingest', actorId: device.id }),
    ).toMatchObject([{ outcome: 'denied', detail: { reason: 'invalid', field: 'sentAt' } }]);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM session_events WHERE client_id = 'ox-ahead'`,
    );
    expect(n).toBe(0);
  });
});
