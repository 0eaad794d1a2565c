import type { BoardBatch, BoardSummary } from '@vigil/contracts';
import { waitFor } from './support/api-process';
import { auditRows, login, makeUser, twoPatientClinic, type TestUser } from './support/factories';
import {
  connectError,
  connectLive,
  sleep,
  socketPool,
  submitCheckIn,
  until,
  type LiveClient,
} from './support/live-client';
import { createTestApp, twoInstancesOverRedis, type TestApp } from './support/test-app';

const REDIS_URL = process.env.REDIS_URL;

/** What a board socket was sent: every board.updated and every board.batch, as they came. */
function recordBoard(socket: LiveClient) {
  const seen = { updated: [] as BoardSummary[], batches: [] as BoardBatch[] };
  socket.on('board.updated', (s) => seen.updated.push(s));
  socket.on('board.batch', (b) => seen.batches.push(b));
  return seen;
}
const sessionsIn = (batches: BoardBatch[]) =>
  new Set(batches.flatMap((b) => b.summaries.map((s) => s.sessionId)));

describe('board.batch (v1.3): one packet per board per flush, for sockets that ask', () => {
  let t: TestApp;
  const sockets = socketPool();
  const open = (url: string, user: TestUser, board?: string) =>
    sockets.open(url, user, board === undefined ? {} : { board });

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('batches a flush for an opted-in board, keeps board.updated for a v1 one, and sends nobody a session they may not see', async () => {
    const c = await twoPatientClinic(t.dataSource);
    const stranger = await makeUser(t.dataSource, 'clinician');
    const legacy = recordBoard(await open(t.url, c.mine));
    const batched = recordBoard(await open(t.url, c.mine, 'batch'));
    const narrow = recordBoard(await open(t.url, c.theirs, 'batch'));
    const boss = recordBoard(await open(t.url, c.boss, 'batch'));
    const outsider = recordBoard(await open(t.url, stranger, 'batch'));
    const phone1 = await open(t.url, c.p1);
    const phone2 = await open(t.url, c.p2);

    // Both sessions change within one 250 ms flush (a flush boundary between them, likelier on a
    // loaded machine: try again).
    let together: BoardBatch | undefined;
    for (let attempt = 0; attempt < 10 && !together; attempt++) {
      const acks = await Promise.all([
        submitCheckIn(phone1, c.s1, `bb1-${attempt}-${Date.now()}`),
        submitCheckIn(phone2, c.s2, `bb2-${attempt}-${Date.now()}`),
      ]);
      expect(acks.every((a) => a.ok)).toBe(true);
      await until(() => sessionsIn(batched.batches).size === 2, 3000, 'a batch for both sessions');
      await sleep(300);
      together = batched.batches.find((b) => b.summaries.length === 2);
    }
    expect(together?.summaries.map((s) => s.sessionId).sort()).toEqual([c.s1, c.s2].sort());
    expect(together?.summaries.find((s) => s.sessionId === c.s1)).toMatchObject({
      state: 'monitoring',
      lastCheckInAt: expect.any(String),
    });

    // The v1 socket of the same clinician: one board.updated per summary, never a batch.
    expect(legacy.batches).toEqual([]);
    expect(new Set(legacy.updated.map((s) => s.sessionId))).toEqual(new Set([c.s1, c.s2]));
    expect(batched.updated).toEqual([]);
    // Access as for board.updated: the second clinician sees only the shared patient's session,
    // the supervisor sees both, a clinician assigned to neither sees nothing.
    expect(sessionsIn(narrow.batches)).toEqual(new Set([c.s2]));
    expect(sessionsIn(boss.batches)).toEqual(new Set([c.s1, c.s2]));
    expect(outsider).toEqual({ updated: [], batches: [] });
    // Each session at most once per batch.
    for (const b of batched.batches)
      expect(new Set(b.summaries.map((s) => s.sessionId)).size).toBe(b.summaries.length);
  });

  it('refuses a malformed board option with a connect_error naming the field', async () => {
    const user = await makeUser(t.dataSource, 'clinician');
    const { accessToken } = await login(t.url, user);
    const bad = connectLive(t.url, accessToken, { auth: { board: 'all-at-once' } });
    sockets.track(bad);
    expect(await connectError(bad)).toBe('board: must be one of updated, batch');
    // A refusal is an action like any other: one denied live.handshake row names who and why
    // (written off the socket's path, so it is polled for).
    const denials = () => auditRows(t.dataSource, { action: 'live.handshake', actorId: user.id });
    await waitFor(
      'the denied handshake audit row',
      async () => (await denials()).length > 0,
      10_000,
    );
    expect(
      (await denials()).map((r: { outcome: string; detail: { reason?: string } }) => [
        r.outcome,
        r.detail.reason,
      ]),
    ).toEqual([['denied', 'invalid_options']]);
    // Without a valid token the answer stays `unauthorized`, whatever else the handshake says.
    const anonymous = connectLive(t.url, 'not-a-token', { auth: { board: 'batch' } });
    sockets.track(anonymous);
    expect(await connectError(anonymous)).toBe('unauthorized');
  });

  (REDIS_URL ? describe : describe.skip)('two instances over Redis', () => {
    const apps = twoInstancesOverRedis(REDIS_URL ?? '');

    it('sends a flush committed on A to the boards on B, in the form each asked for', async () => {
      const c = await twoPatientClinic(apps.a.dataSource);
      const legacy = recordBoard(await open(apps.b.url, c.mine));
      const batched = recordBoard(await open(apps.b.url, c.theirs, 'batch'));
      const phone1 = await open(apps.a.url, c.p1);
      const phone2 = await open(apps.a.url, c.p2);
      await submitCheckIn(phone1, c.s1, `x1-${Date.now()}`);
      await submitCheckIn(phone2, c.s2, `x2-${Date.now()}`);
      await until(() => sessionsIn(batched.batches).has(c.s2), 5000, 'a batch on B');
      await until(() => legacy.updated.length >= 2, 5000, 'board.updated on B');
      await sleep(300);
      expect(sessionsIn(batched.batches)).toEqual(new Set([c.s2]));
      expect(new Set(legacy.updated.map((s) => s.sessionId))).toEqual(new Set([c.s1, c.s2]));
      expect(legacy.batches).toEqual([]);
    });
  });
});
