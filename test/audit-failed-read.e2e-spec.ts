import type { WatchManyAck } from '@vigil/contracts';
import { http, login, makeSession, makeUser } from './support/factories';
import { connectLive, connected, type LiveClient } from './support/live-client';
import { createTestApp, type TestApp } from './support/test-app';
import { SessionAccess } from '../apps/api/src/modules/sessions/session-access';

/**
 * A read that fails halfway must not leave audit rows claiming it succeeded (ARCHITECTURE.md,
 * Audit chain: "an action or read and its audit row commit together or not at all").
 * `sessions.watch` reads a board in chunks of 50, one transaction each, and sends the one ack
 * only after every chunk: when a later chunk fails, the client gets an error ack and no session,
 * yet the first chunk's `session.watch` rows are already committed as `success` with `sent: N`.
 */
describe('a board watch that fails halfway', () => {
  let t: TestApp;
  let socket: LiveClient | null = null;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    socket?.disconnect();
    await t.close();
  });

  it('leaves no session.watch success row for a session the client was never sent', async () => {
    const ds = t.dataSource;
    const sup = await makeUser(ds, 'supervisor');
    const clin = await makeUser(ds, 'clinician');
    const pat = await makeUser(ds, 'patient', 'Pat One');
    const sessions: string[] = [];
    for (let i = 0; i < 51; i++)
      sessions.push(await makeSession(ds, { patient: pat, clinician: clin }));
    const patTok = (await login(t.url, pat)).accessToken;
    expect(
      (
        await http(t.url, 'POST', `/api/sessions/${sessions[0]}/check-ins`, {
          token: patTok,
          body: { clientId: 'c1', moaas: 5 },
        })
      ).status,
    ).toBe(201);

    // The second chunk's access query fails (a statement timeout, a dropped connection).
    const access = t.app.get(SessionAccess);
    const real = access.visibilityOf.bind(access);
    let calls = 0;
    const spy = jest.spyOn(access, 'visibilityOf').mockImplementation((...args) => {
      calls += 1;
      if (calls === 2)
        return Promise.reject(new Error('canceling statement due to statement timeout'));
      return real(...args);
    });
    try {
      socket = connectLive(t.url, (await login(t.url, sup)).accessToken);
      await connected(socket);
      const ack: WatchManyAck = await socket.timeout(20_000).emitWithAck('sessions.watch', {
        sessions: sessions.map((sessionId) => ({ sessionId, afterSeq: 0 })),
      });
      expect(ack.ok).toBe(false);
    } finally {
      spy.mockRestore();
    }

    const rows: Array<{ entity_id: string; detail: { sent?: number } }> = await ds.query(
      `SELECT entity_id, detail FROM audit_events
        WHERE action = 'session.watch' AND outcome = 'success' AND actor_id = $1`,
      [sup.id],
    );
    // Nothing was sent to the supervisor, yet the log says Pat One's check-in was.
    const first = rows.find((r) => r.entity_id === sessions[0]);
    expect({ successRows: rows.length, firstSessionSent: first?.detail.sent }).toEqual({
      successRows: 0,
      firstSessionSent: undefined,
    });
  });
});
