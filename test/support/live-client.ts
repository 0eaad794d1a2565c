import { io, type Socket } from 'socket.io-client';
import { login, type TestUser } from './factories';
import type {
  ClientToServerEvents,
  SessionEvent,
  ServerToClientEvents,
  SubmitAck,
  WatchAck,
} from '@vigil/contracts';

export type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real socket.io-client on /live, as a phone or a dashboard would open it. */
export function connectLive(
  url: string,
  token: string | undefined,
  /** `auth`: handshake fields besides the token (v1.3 `board`). */
  opts: { reconnection?: boolean; auth?: Record<string, unknown> } = {},
): LiveClient {
  return io(`${url}/live`, {
    auth: { ...(token === undefined ? {} : { token }), ...opts.auth },
    transports: ['websocket'],
    reconnection: opts.reconnection ?? false,
    forceNew: true,
  });
}

/**
 * Opens sockets as a user would (logged in, with handshake fields `auth`), connected; every one,
 * and every socket handed to `track`, is closed after each test of the calling describe block.
 */
export function socketPool() {
  const sockets: LiveClient[] = [];
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  const track = (socket: LiveClient) => {
    sockets.push(socket);
    return socket;
  };
  const open = async (url: string, user: TestUser, auth: Record<string, unknown> = {}) => {
    const s = track(connectLive(url, (await login(url, user)).accessToken, { auth }));
    await connected(s);
    return s;
  };
  return { open, track };
}

export function connected(socket: LiveClient): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
}

export function connectError(socket: LiveClient): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected, but should have been refused')));
    socket.once('connect_error', (err) => resolve(err.message));
  });
}

export function disconnected(socket: LiveClient, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!socket.connected) return resolve('already');
    const timer = setTimeout(() => reject(new Error('still connected')), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** Collects every live event a socket receives, one by one or in v1.6 `session.events` batches. */
export function recordEvents(socket: LiveClient): SessionEvent[] {
  const seen: SessionEvent[] = [];
  socket.on('session.event', (e) => seen.push(e));
  socket.on('session.events', (b) => seen.push(...b.events));
  return seen;
}

export function watch(socket: LiveClient, sessionId: string, afterSeq = 0): Promise<WatchAck> {
  return socket.timeout(10_000).emitWithAck('session.watch', { sessionId, afterSeq });
}

export function submitCheckIn(
  socket: LiveClient,
  sessionId: string,
  clientId: string,
  body: object = { moaas: 5 },
): Promise<SubmitAck> {
  return socket.timeout(10_000).emitWithAck('checkin.submit', { sessionId, clientId, ...body });
}

export async function until(
  predicate: () => boolean,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
