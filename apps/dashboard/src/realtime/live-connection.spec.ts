import type { ServerStatus, SessionEvent, WatchAck } from '@vigil/contracts';
import { authStore } from '../auth/auth-store';
import { eventLog } from '../read-model/testing';
import type { ConnectionStatus } from './connection-status';
import { LiveConnection } from './live-connection';

// The socket's wire, replaced by one whose server side the test plays: each watch it asks for
// waits until the test answers it.
type Handler = (payload: unknown) => void;
const handlers = new Map<string, Handler>();
const asked: Array<{
  event: string;
  payload: Record<string, unknown>;
  answer: (a: unknown) => void;
}> = [];
/** How often the connection asked its socket to connect again (after a refused handshake). */
let reconnects = 0;
jest.mock('socket.io-client', () => ({
  io: () => ({
    connected: true,
    active: false,
    connect: () => (reconnects += 1),
    on: (event: string, handler: Handler) => handlers.set(event, handler),
    io: { on: () => undefined },
    emit: () => undefined,
    disconnect: () => undefined,
    timeout: () => ({
      emitWithAck: (event: string, payload: Record<string, unknown>) =>
        new Promise((answer) => asked.push({ event, payload, answer })),
    }),
  }),
}));

const tick = () => new Promise((r) => setTimeout(r, 0));
/** A connection whose socket the test has just seen connect, with nothing asked yet. */
function connectedLive(): LiveConnection {
  handlers.clear();
  asked.length = 0;
  const live = new LiveConnection();
  live.connect();
  handlers.get('connect')!(undefined);
  return live;
}
const ok = (events: SessionEvent[], headSeq: number, upToSeq?: number): WatchAck => ({
  ok: true,
  events,
  headSeq,
  ...(upToSeq !== undefined && { upToSeq }),
});

describe("LiveConnection: a board's watch of the latest readings (contract v1.5)", () => {
  let live: LiveConnection;
  // s1's log: three heart rates, a check-in, then a late upload of an older one (seq 1-5). A
  // board's answer sends seq 3 (the latest heart rate) and 4, and covers up to 5.
  const log = eventLog('s1')
    .vitals(1000, { heart_rate: 80 })
    .vitals(2000, { heart_rate: 81 })
    .vitals(3000, { heart_rate: 82 })
    .checkIn(3500, { moaas: 5 })
    .vitals(4000, { heart_rate: 70 }, 500);
  const board = log.events.filter((e) => e.seq === 3 || e.seq === 4);
  const seqs = (events: SessionEvent[]) => events.map((e) => e.seq);

  beforeEach(() => {
    live = connectedLive();
  });
  afterEach(() => live.disconnect());

  it('asks for the latest readings and goes on live after what the answer covered', async () => {
    const got: Array<[number[], boolean]> = [];
    live.watch('s1', (events, reset) => got.push([seqs(events), reset]), 'latest');
    await tick();
    expect(asked.map((a) => [a.event, a.payload])).toEqual([
      ['session.watch', { sessionId: 's1', afterSeq: 0, readings: 'latest' }],
    ]);
    asked[0].answer(ok(board, 5, 5));
    await tick();
    expect(got).toEqual([[[3, 4], true]]);

    const next = eventLog('s1');
    for (let i = 0; i < 6; i++) next.vitals(5000 + i, { heart_rate: 84 });
    handlers.get('session.event')!(next.events[5]); // seq 6: next after upToSeq, no resync
    await tick();
    expect(got).toEqual([
      [[3, 4], true],
      [[6], false],
    ]);
    expect(asked).toHaveLength(1);
  });

  it('turns the watch into a full one when a listener asks for all readings, delivered again with reset', async () => {
    const board1: Array<[number[], boolean]> = [];
    const view: Array<[number[], boolean]> = [];
    live.watch('s1', (events, reset) => board1.push([seqs(events), reset]), 'latest');
    await tick();
    asked[0].answer(ok(board, 5, 5));
    await tick();
    live.watch('s1', (events, reset) => view.push([seqs(events), reset]), 'all');
    await tick();
    expect(asked[1].payload).toEqual({ sessionId: 's1', afterSeq: 0 });
    asked[1].answer(ok(log.events, 5));
    await tick();
    expect(view).toEqual([[[1, 2, 3, 4, 5], true]]);
    expect(board1.at(-1)).toEqual([[1, 2, 3, 4, 5], true]);
  });

  it('asked for all readings while the latest are on their way: drops that answer and watches in full', async () => {
    const got: Array<[number[], boolean]> = [];
    live.watch('s1', (events, reset) => got.push([seqs(events), reset]), 'latest');
    await tick();
    live.watch('s1', () => undefined, 'all');
    await tick();
    expect(asked).toHaveLength(1); // the first watch is still in flight
    asked[0].answer(ok(board, 5, 5));
    await tick();
    expect(got).toEqual([]);
    expect(asked[1].payload).toEqual({ sessionId: 's1', afterSeq: 0 });
    asked[1].answer(ok(log.events, 5));
    await tick();
    expect(got).toEqual([[[1, 2, 3, 4, 5], true]]);
  });

  it('watches for all readings from then on when a server older than v1.5 refuses the field', async () => {
    const got: Array<[number[], boolean]> = [];
    live.watch('s1', (events, reset) => got.push([seqs(events), reset]), 'latest');
    await tick();
    asked[0].answer({
      ok: false,
      error: { code: 'invalid', message: 'readings: unrecognized key' },
    });
    await tick();
    expect(asked[1].payload).toEqual({ sessionId: 's1', afterSeq: 0 });
    asked[1].answer(ok(log.events, 5));
    await tick();
    expect(got).toEqual([[[1, 2, 3, 4, 5], true]]);
    live.watch('s2', () => undefined, 'latest');
    await tick();
    expect(asked[2].payload).toEqual({ sessionId: 's2', afterSeq: 0 });
  });
});

describe('LiveConnection: live events one by one or in batches (contract v1.6)', () => {
  let live: LiveConnection;
  const seqs = (events: SessionEvent[]) => events.map((e) => e.seq);
  const s1 = eventLog('s1');
  const s2 = eventLog('s2');
  for (let i = 0; i < 5; i++) {
    s1.vitals(1000 + i, { heart_rate: 80 + i });
    s2.vitals(1000 + i, { heart_rate: 90 + i });
  }

  beforeEach(() => {
    live = connectedLive();
  });
  afterEach(() => live.disconnect());

  async function watching(): Promise<Record<string, Array<[number[], boolean]>>> {
    const got: Record<string, Array<[number[], boolean]>> = { s1: [], s2: [] };
    for (const id of ['s1', 's2'])
      live.watch(id, (events, reset) => got[id].push([seqs(events), reset]));
    await tick();
    // The two watches go out as one sessions.watch; each session is caught up to seq 1.
    asked[0].answer({
      ok: true,
      sessions: [
        { sessionId: 's1', ...ok([s1.events[0]], 1) },
        { sessionId: 's2', ...ok([s2.events[0]], 1) },
      ],
    });
    await tick();
    return got;
  }

  it('hands each session its run of a batch at once, in seq order, and drops what it already has', async () => {
    const got = await watching();
    handlers.get('session.events')!({
      events: [s1.events[1], s2.events[1], s1.events[2], s1.events[0]],
    });
    handlers.get('session.event')!(s2.events[2]); // what a server older than v1.6 sends
    await tick();
    expect(got).toEqual({
      s1: [
        [[1], true],
        [[2, 3], false],
      ],
      s2: [
        [[1], true],
        [[2], false],
        [[3], false],
      ],
    });
    expect(asked).toHaveLength(1); // no gap, no resync
  });

  it('keeps what is in step before a gap in a batch and resyncs that session from it', async () => {
    const got = await watching();
    handlers.get('session.events')!({
      events: [s1.events[1], s1.events[3], s1.events[4], s2.events[1]],
    });
    await tick();
    expect(got.s1).toEqual([
      [[1], true],
      [[2], false],
    ]);
    expect(got.s2.at(-1)).toEqual([[2], false]);
    expect(asked.slice(1).map((a) => [a.event, a.payload])).toEqual([
      ['session.watch', { sessionId: 's1', afterSeq: 2 }],
    ]);
  });
});

describe('LiveConnection: a handshake the server could not check (contract v1.7)', () => {
  afterEach(() => jest.useRealTimers());

  it('connects again after `unavailable`, 1 s then 2 s apart (+/- 50 %), keeping its login', () => {
    jest.useFakeTimers();
    const refresh = jest.spyOn(authStore, 'refresh');
    const live = connectedLive();
    const socket = (live as unknown as { socket: { connected: boolean } }).socket;
    socket.connected = false;
    reconnects = 0;
    handlers.get('connect_error')!(new Error('unavailable'));
    jest.advanceTimersByTime(400);
    expect(reconnects).toBe(0);
    jest.advanceTimersByTime(1200);
    expect(reconnects).toBe(1);
    handlers.get('connect_error')!(new Error('unavailable'));
    jest.advanceTimersByTime(900);
    expect(reconnects).toBe(1);
    jest.advanceTimersByTime(2200);
    expect(reconnects).toBe(2);
    expect(refresh).not.toHaveBeenCalled();
    expect(live.getStatus().state).toBe('reconnecting');
    live.disconnect();
    refresh.mockRestore();
  });
});

describe("LiveConnection: the server's status (contract v1.2, v1.8)", () => {
  let live: LiveConnection;
  const statuses: ConnectionStatus[] = [];
  beforeEach(() => {
    live = connectedLive();
    statuses.length = 0;
    live.onStatus((s) => statuses.push(s));
  });
  afterEach(() => live.disconnect());
  const serverSays = (status: ServerStatus) => handlers.get('server.status')!(status);

  it('goes on saying live while the server link is down, marked degraded', () => {
    serverSays({ crossInstanceDelivery: 'degraded' });
    expect(statuses.at(-1)).toMatchObject({ state: 'live', degraded: true });
    expect(statuses.at(-1)).not.toHaveProperty('notSavingSince', expect.anything());
  });

  it("holds since when the server's database has not answered, and drops it once it answers", () => {
    const since = '2026-12-06T06:15:02.000Z';
    serverSays({ crossInstanceDelivery: 'ok', database: { state: 'unavailable', since } });
    expect(statuses.at(-1)).toMatchObject({
      state: 'live',
      degraded: false,
      notSavingSince: Date.parse(since),
    });
    const told = statuses.length;
    // The same status again (another change on the server's side) changes nothing here.
    serverSays({ crossInstanceDelivery: 'ok', database: { state: 'unavailable', since } });
    expect(statuses).toHaveLength(told);
    serverSays({
      crossInstanceDelivery: 'ok',
      database: { state: 'ok', since: '2026-12-06T06:16:00.000Z' },
    });
    expect(statuses.at(-1)).toMatchObject({ state: 'live', notSavingSince: undefined });
  });

  it('a socket that drops while the server cannot save says "no live data" since it stopped saving', () => {
    const since = '2026-12-06T06:15:02.000Z';
    serverSays({ crossInstanceDelivery: 'ok', database: { state: 'unavailable', since } });
    handlers.get('disconnect')!('transport close');
    expect(live.getStatus()).toEqual({ state: 'reconnecting', since: Date.parse(since) });
    // The browser then goes offline: still since then, not since now.
    globalThis.dispatchEvent(new Event('offline'));
    expect(live.getStatus()).toEqual({ state: 'offline', since: Date.parse(since) });
  });

  it('reads a server older than v1.8, which sends no database, as saving', () => {
    serverSays({ crossInstanceDelivery: 'ok', database: { state: 'unavailable', since: 'x' } });
    serverSays({ crossInstanceDelivery: 'ok' });
    expect(live.getStatus()).toMatchObject({ state: 'live', notSavingSince: undefined });
  });
});

/**
 * Review rscreen: a Wi-Fi blip (the browser fires `offline`, then `online`) shorter than
 * socket.io's ping timeout leaves the socket up and events flowing; only socket.io's `connect`
 * put the status back to live, so the "No live data" banner stayed over a board that was live.
 */
describe("LiveConnection: the browser's offline and online events", () => {
  let live: LiveConnection;
  beforeEach(() => {
    live = connectedLive();
  });
  afterEach(() => live.disconnect());
  const blip = () => {
    globalThis.dispatchEvent(new Event('offline'));
    expect(live.getStatus().state).toBe('offline');
    globalThis.dispatchEvent(new Event('online'));
  };

  it('is live again once the browser is back online and the socket stayed up', async () => {
    const got: SessionEvent[] = [];
    live.watch('s1', (events) => got.push(...events), 'latest');
    await tick();
    const log = eventLog('s1')
      .vitals(1000, { spo2: 96 })
      .raise(2000, 'a1', 'high', 'SpO2 88 <= 91', 'spo2_low');
    asked[0].answer(ok(log.events.slice(0, 1), 1));
    await tick();
    blip();
    // The socket never dropped: a new high alert arrives on it and is shown...
    handlers.get('session.event')!(log.events[1]);
    expect(got.map((e) => e.type)).toEqual(['vitals.recorded', 'alert.raised']);
    // ...and no banner says that alerts since the blip are not shown.
    expect(live.getStatus().state).toBe('live');
  });

  it('says again what the server said of itself, before the blip and during it', () => {
    handlers.get('server.status')!({ crossInstanceDelivery: 'degraded' });
    blip();
    expect(live.getStatus()).toMatchObject({ state: 'live', degraded: true });
    globalThis.dispatchEvent(new Event('offline'));
    const since = '2026-12-06T06:15:02.000Z';
    handlers.get('server.status')!({
      crossInstanceDelivery: 'ok',
      database: { state: 'unavailable', since },
    });
    globalThis.dispatchEvent(new Event('online'));
    expect(live.getStatus()).toMatchObject({
      state: 'live',
      degraded: false,
      notSavingSince: Date.parse(since),
    });
  });

  it('stays down when the socket did not survive: socket.io reconnects and says when', () => {
    const socket = (live as unknown as { socket: { connected: boolean } }).socket;
    globalThis.dispatchEvent(new Event('offline'));
    socket.connected = false;
    handlers.get('disconnect')!('ping timeout');
    globalThis.dispatchEvent(new Event('online'));
    expect(live.getStatus().state).not.toBe('live');
    socket.connected = true;
    handlers.get('connect')!(undefined);
    expect(live.getStatus().state).toBe('live');
  });
});
