import { io, type Socket } from 'socket.io-client';
import {
  HANDSHAKE_UNAUTHORIZED,
  LIVE_RECONNECTION,
  type CheckIn,
  type ClientToServerEvents,
  type Reading,
  type ServerToClientEvents,
  type SimpleAck,
  type SubmitAck,
} from '@vigil/contracts';
import {
  createOutboxTransport,
  MemoryOutboxStore,
  Outbox,
  type OutboxTransport,
  type TransportDeps,
} from '@vigil/outbox';
import type { Logger } from './sim-log';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Where the socket's handshake token comes from: the patient's login, or a device credential. */
export interface TokenSource {
  token(): Promise<string>;
  /** The server refused the token at the handshake. */
  invalidate(): void;
}

/** What a simulated phone or device sends; the outbox mints its clientId once, on enqueue. */
export type NewSubmission =
  | { kind: 'checkin'; sessionId: string; body: CheckIn }
  | { kind: 'vitals'; sessionId: string; readings: Reading[] }
  | { kind: 'help'; sessionId: string; note: string };

/** A phone keeps about ten minutes of 1 Hz oximeter batches while offline, then drops the oldest. */
const OUTBOX_LIMIT = 2_000;
const ACK_TIMEOUT_MS = 10_000;
/** Retries come back within seconds, not the phone's minute: the simulator is its own load test. */
const SIM_BACKOFF = { baseMs: 1_000, maxMs: 8_000 };
/** Every item of this device's in-memory outbox belongs to the one account it runs as. */
const OWNER = 'simulated-device';

/**
 * The patient's phone (or a paired device) on /live: one socket, presence heartbeats, and the
 * phone's own outbox core from `@vigil/outbox` (persist, then send one at a time with the same
 * clientId until acknowledged, help first, backoff with jitter), kept in memory and forgetting
 * each item once it is settled. The patient's phone falls back to REST while the socket is down,
 * as the real one does; a paired device (`post` absent) may only use its socket, so it waits.
 */
export class PatientDevice {
  private socket: LiveSocket | null = null;
  private readonly outbox: Outbox;
  private closed = false;
  acknowledged = 0;
  retries = 0;

  constructor(
    private readonly api: TokenSource,
    private readonly log: Logger,
    private readonly label: string,
    post?: TransportDeps['post'],
  ) {
    this.outbox = new Outbox({
      store: new MemoryOutboxStore(),
      transport: this.counted(
        createOutboxTransport({ submit: (event, payload) => this.emit(event, payload), post }),
      ),
      isOnline: () => this.socket?.connected === true || post !== undefined,
      backoff: SIM_BACKOFF,
      keepSettledMs: 0,
      maxPending: OUTBOX_LIMIT,
    });
    void this.outbox.open(OWNER);
  }

  /** Opens the socket once; a later call (a run started over) keeps the one open. */
  connect(url: string): void {
    if (this.socket || this.closed) return;
    const socket: LiveSocket = io(`${url}/live`, {
      // A function, so every (re)connection presents a fresh token.
      auth: (cb) => {
        this.api.token().then(
          (token) => cb({ token }),
          () => cb({}),
        );
      },
      transports: ['websocket'],
      ...LIVE_RECONNECTION,
    });
    // The server cuts a socket when its token expires or is refused: come back with a new one.
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect' && !this.closed) this.reconnectSoon();
    });
    socket.on('connect_error', (err) => {
      if (err.message === HANDSHAKE_UNAUTHORIZED) this.api.invalidate();
      if (!socket.active && !this.closed) this.reconnectSoon();
    });
    socket.on('connect', () => this.outbox.wake());
    this.socket = socket;
  }

  close(): void {
    this.closed = true;
    this.outbox.close();
    this.socket?.disconnect();
  }

  get connected(): boolean {
    return this.socket?.connected === true;
  }

  get pending(): number {
    return this.outbox.getItems().filter((i) => i.status === 'pending').length;
  }

  submit(item: NewSubmission): void {
    if (this.closed) return;
    const body =
      item.kind === 'checkin'
        ? { ...item.body }
        : item.kind === 'vitals'
          ? { readings: item.readings }
          : { note: item.note };
    this.outbox
      .enqueue({ sessionId: item.sessionId, kind: item.kind, body })
      .catch((err: Error) =>
        this.log.warn(`${this.label}: ${item.kind} not queued: ${err.message}`),
      );
  }

  /** Resolves false when the server says the session is no longer live. */
  async heartbeat(sessionId: string): Promise<boolean> {
    if (!this.socket?.connected) return true;
    try {
      // `timeout()` loses the event map's ack type: restate it.
      const ack = (await this.socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('presence.heartbeat', { sessionId })) as SimpleAck;
      return ack.ok || !/not live/.test(ack.error.message);
    } catch {
      return true;
    }
  }

  private reconnectSoon(): void {
    setTimeout(
      () => {
        if (!this.closed && this.socket && !this.socket.connected) this.socket.connect();
      },
      1_000 + Math.random() * 2_000,
    ).unref();
  }

  /** The phone's `live.submit`: refuses at once without a socket, so the transport falls back. */
  private async emit(
    event: 'checkin.submit' | 'vitals.submit' | 'help.request',
    payload: Record<string, unknown>,
  ): Promise<SubmitAck> {
    const socket = this.socket;
    if (!socket?.connected) throw new Error('not connected');
    // `timeout()` loses the event map's ack and payload types: restate the ack.
    return (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload as never)) as SubmitAck;
  }

  /** Counts what the simulator reports, and says why an item was refused for good. */
  private counted(transport: OutboxTransport): OutboxTransport {
    return {
      send: async (item) => {
        const result = await transport.send(item);
        if (result.kind === 'delivered') this.acknowledged++;
        else if (result.kind === 'retry') this.retries++;
        else this.log.warn(`${this.label}: ${item.kind} refused: ${result.message}`);
        return result;
      },
    };
  }
}
