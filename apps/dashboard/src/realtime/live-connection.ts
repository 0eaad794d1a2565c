import { io } from 'socket.io-client';
import {
  HANDSHAKE_UNAUTHORIZED,
  LIVE_NAMESPACE,
  LIVE_RECONNECTION,
  type BoardSummary,
  type ServerStatus,
  type SimpleAck,
  type SubmitAck,
  type WatchReadings,
} from '@vigil/contracts';
import { authStore } from '../auth/auth-store';
import { serverNow } from '../clock/server-clock';
import { ask, type LiveSocket } from './live-socket';
import { RetryAfterRefusal } from './retry-after-refusal';
import { wentDown, withServerStatus, type ConnectionStatus } from './connection-status';
import { SessionWatches, type EventsListener } from './session-watches';

/**
 * The one module that owns socket traffic: the connection and its status, board summaries, the
 * phone's submissions and heartbeats. The watched sessions and their resync by seq are
 * `SessionWatches`, handed the events, heads and (re)connects this socket brings.
 */
export class LiveConnection {
  private socket: LiveSocket | null = null;
  private status: ConnectionStatus = { state: 'connecting', since: serverNow() };
  private readonly statusListeners = new Set<(s: ConnectionStatus) => void>();
  private readonly boardListeners = new Set<(summaries: BoardSummary[]) => void>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly sessions = new SessionWatches(() => this.socket);
  private readonly afterRefusal = new RetryAfterRefusal(() => {
    if (this.socket && !this.socket.connected) this.socket.connect();
  });
  /** This socket's last `server.status`: what a live status says again after an offline blip. */
  private serverStatus: ServerStatus | null = null;
  private readonly onOffline = () => this.setStatus(wentDown(this.status, 'offline'));
  /**
   * Back online with the socket still up (a Wi-Fi blip, a roaming hand-over shorter than
   * socket.io's ping timeout): events go on arriving on it, so the screen is live again; only
   * socket.io's `connect` said so before, and the "No live data" banner stayed over live alerts.
   * A socket that did not survive the blip is found dead by its ping timeout and reconnects.
   */
  private readonly onOnline = () => {
    if (this.status.state !== 'offline' || !this.socket?.connected) return;
    const live: ConnectionStatus = { state: 'live', since: serverNow() };
    this.setStatus(this.serverStatus ? (withServerStatus(live, this.serverStatus) ?? live) : live);
  };

  connect(): void {
    if (this.socket) return;
    const socket: LiveSocket = io(LIVE_NAMESPACE, {
      // v1.3: a board flush arrives as one `board.batch`, not one message per session; v1.6: the
      // events of one commit as one `session.events`, not one message per event.
      auth: (cb) =>
        cb({ token: authStore.get()?.accessToken ?? '', board: 'batch', events: 'batch' }),
      transports: ['websocket', 'polling'],
      ...LIVE_RECONNECTION,
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.afterRefusal.reset();
      this.serverStatus = null; // a new connection: the server says on connect what is wrong
      this.setStatus({ state: 'live', since: serverNow() });
      this.sessions.resyncAll();
      for (const l of this.reconnectListeners) l();
    });
    socket.on('disconnect', (reason) => {
      this.setStatus(wentDown(this.status, 'reconnecting'));
      // The server hung up on purpose (logout, expired token): reconnect with a fresh token.
      if (reason === 'io server disconnect') void this.reauthenticate();
    });
    socket.on('connect_error', (err) => {
      if (this.status.state === 'live' || this.status.state === 'connecting') {
        this.setStatus(wentDown(this.status, 'reconnecting'));
      }
      if (err.message === HANDSHAKE_UNAUTHORIZED) void this.reauthenticate();
      // Refused in the handshake for another reason (`unavailable`: the server could not check
      // the token just now): socket.io does not try again by itself after a refusal, so we do.
      else if (!socket.active) this.afterRefusal.schedule();
    });
    socket.io.on('reconnect_failed', () => this.setStatus(wentDown(this.status, 'offline')));
    socket.on('session.events', ({ events }) => this.sessions.onEvents(events));
    // What a server older than v1.6 sends instead, whatever the handshake asked.
    socket.on('session.event', (event) => this.sessions.onEvents([event]));
    socket.on('session.heads', (heads) => this.sessions.onHeads(heads));
    socket.on('server.status', (status) => {
      this.serverStatus = status;
      const next = withServerStatus(this.status, status);
      if (next) this.setStatus(next);
    });
    socket.on('board.batch', ({ summaries }) => this.onBoardSummaries(summaries));
    // What a server older than v1.3 sends instead, whatever the handshake asked.
    socket.on('board.updated', (summary) => this.onBoardSummaries([summary]));
    globalThis.addEventListener?.('offline', this.onOffline);
    globalThis.addEventListener?.('online', this.onOnline);
  }

  disconnect(): void {
    globalThis.removeEventListener?.('offline', this.onOffline);
    globalThis.removeEventListener?.('online', this.onOnline);
    this.afterRefusal.cancel();
    this.socket?.disconnect();
    this.socket = null;
    this.sessions.clear();
  }

  getStatus(): ConnectionStatus {
    return this.status;
  }

  onStatus(listener: (s: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Each board flush's summaries at once, so a reader can apply them in one update. */
  onBoard(listener: (summaries: BoardSummary[]) => void): () => void {
    this.boardListeners.add(listener);
    return () => this.boardListeners.delete(listener);
  }

  /** Called after every (re)connect: the board refetches what it may have missed. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** Streams a session's events (`SessionWatches.watch`); the returned function stops it. */
  watch(sessionId: string, listener: EventsListener, asked: WatchReadings = 'all'): () => void {
    return this.sessions.watch(sessionId, listener, asked);
  }

  async submit(
    event: 'checkin.submit' | 'vitals.submit' | 'help.request',
    payload: Record<string, unknown>,
  ): Promise<SubmitAck> {
    const socket = this.socket;
    if (!socket?.connected) throw new Error('offline');
    return ask<SubmitAck>(socket, event, payload);
  }

  async heartbeat(sessionId: string): Promise<SimpleAck | null> {
    const socket = this.socket;
    if (!socket?.connected) return null;
    return ask<SimpleAck>(socket, 'presence.heartbeat', { sessionId }).catch(() => null);
  }

  private onBoardSummaries(summaries: BoardSummary[]): void {
    if (summaries.length === 0) return;
    for (const l of this.boardListeners) l(summaries);
  }

  private async reauthenticate(): Promise<void> {
    const token = await authStore.refresh();
    if (token && this.socket && !this.socket.connected) this.socket.connect();
  }

  private setStatus(status: ConnectionStatus): void {
    if (status.state === this.status.state && status.state !== 'live') return; // keep "since"
    this.status = status;
    for (const l of this.statusListeners) l(status);
  }
}

export const live = new LiveConnection();
