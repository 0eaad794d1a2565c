import type { SessionEvent, SessionEventBatch } from '@vigil/contracts';
import { login, makeUser, twoPatientClinic, type TestUser } from './support/factories';
import {
  connectError,
  connectLive,
  sleep,
  socketPool,
  submitCheckIn,
  until,
  watch,
  type LiveClient,
} from './support/live-client';
import { createTestApp, twoInstancesOverRedis, type TestApp } from './support/test-app';

const REDIS_URL = process.env.REDIS_URL;

/** What a watching socket was sent: every session.event and every session.events, as they came. */
function recordLive(socket: LiveClient) {
  const seen = { single: [] as SessionEvent[], batches: [] as SessionEventBatch[] };
  socket.on('session.event', (e) => seen.single.push(e));
  socket.on('session.events', (b) => seen.batches.push(b));
  return seen;
}
type Seen = ReturnType<typeof recordLive>;
const all = (seen: Seen) => [...seen.single, ...seen.batches.flatMap((b) => b.events)];
/** Each session's seqs in the order they arrived. */
function seqsBySession(events: SessionEvent[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const e of events) (out[e.sessionId] ??= []).push(e.seq);
  return out;
}
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('session.events (v1.6): the events of one commit in one message, for sockets that ask', () => {
  let t: TestApp;
  const sockets = socketPool();
  const open = (url: string, user: TestUser, events?: string) =>
    sockets.open(url, user, events === undefined ? {} : { events });

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('batches live events for an opted-in socket, keeps session.event for a v1 one, each session gapless and in order', async () => {
    const c = await twoPatientClinic(t.dataSource);
    const legacySocket = await open(t.url, c.mine);
    const batchedSocket = await open(t.url, c.mine, 'batch');
    const narrowSocket = await open(t.url, c.theirs, 'batch');
    const [legacy, batched, narrow] = [legacySocket, batchedSocket, narrowSocket].map(recordLive);
    for (const s of [legacySocket, batchedSocket]) {
      expect((await watch(s, c.s1)).ok).toBe(true);
      expect((await watch(s, c.s2)).ok).toBe(true);
    }
    expect((await watch(narrowSocket, c.s2)).ok).toBe(true);
    // The second clinician is not assigned to the first patient: no watch, no events.
    expect(await watch(narrowSocket, c.s1)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const phone1 = await open(t.url, c.p1);
    const phone2 = await open(t.url, c.p2);

    // Check-ins sent together are committed together (a group gathers 10 ms), so some batch
    // holds more than one event; a loaded machine may split them: send more.
    let sent = 0;
    for (let round = 0; round < 10; round++) {
      const acks = await Promise.all(
        [phone1, phone2, phone1, phone2].map((phone, i) =>
          submitCheckIn(phone, i % 2 === 0 ? c.s1 : c.s2, `eb-${round}-${i}-${Date.now()}`),
        ),
      );
      expect(acks.every((a) => a.ok)).toBe(true);
      sent += 2;
      await until(() => all(batched).length === 2 * sent, 5000, 'every event on the batch socket');
      if (batched.batches.some((b) => b.events.length > 1)) break;
    }
    await until(() => all(legacy).length === 2 * sent, 5000, 'every event on the v1 socket');
    await until(() => all(narrow).length === sent, 5000, 'the shared session on the other socket');
    await sleep(300); // nothing more arrives

    // The v1 socket: one session.event each, never a batch; the batch socket: never single ones.
    expect(legacy.batches).toEqual([]);
    expect(batched.single).toEqual([]);
    expect(batched.batches.some((b) => b.events.length > 1)).toBe(true);
    expect(batched.batches.every((b) => b.events.length > 0)).toBe(true);
    // Both: every seq of both sessions once, in order, whatever the form.
    const expected = { [c.s1]: oneTo(sent), [c.s2]: oneTo(sent) };
    expect(seqsBySession(legacy.single)).toEqual(expected);
    expect(seqsBySession(all(batched))).toEqual(expected);
    // Access as for session.event: only the session that socket may watch.
    expect(narrow.single).toEqual([]);
    expect(seqsBySession(all(narrow))).toEqual({ [c.s2]: oneTo(sent) });
  });

  it('refuses a malformed events option with a connect_error naming the field', async () => {
    const user = await makeUser(t.dataSource, 'clinician');
    const { accessToken } = await login(t.url, user);
    const bad = connectLive(t.url, accessToken, { auth: { events: 'bundled' } });
    sockets.track(bad);
    expect(await connectError(bad)).toBe('events: must be one of event, batch');
  });

  (REDIS_URL ? describe : describe.skip)('two instances over Redis', () => {
    const apps = twoInstancesOverRedis(REDIS_URL ?? '');

    it('sends events committed on A to the watchers on B, in the form each asked for', async () => {
      const c = await twoPatientClinic(apps.a.dataSource);
      const legacySocket = await open(apps.b.url, c.mine);
      const batchedSocket = await open(apps.b.url, c.mine, 'batch');
      const [legacy, batched] = [legacySocket, batchedSocket].map(recordLive);
      for (const s of [legacySocket, batchedSocket]) expect((await watch(s, c.s1)).ok).toBe(true);
      const phone1 = await open(apps.a.url, c.p1);
      for (let i = 0; i < 3; i++)
        expect((await submitCheckIn(phone1, c.s1, `xb-${i}-${Date.now()}`)).ok).toBe(true);
      await until(() => all(batched).length === 3, 5000, 'the events on B, batched');
      await until(() => legacy.single.length === 3, 5000, 'the events on B, one by one');
      await sleep(300);
      expect(batched.single).toEqual([]);
      expect(legacy.batches).toEqual([]);
      expect(seqsBySession(all(batched))).toEqual({ [c.s1]: [1, 2, 3] });
      expect(seqsBySession(legacy.single)).toEqual({ [c.s1]: [1, 2, 3] });
    });
  });
});
