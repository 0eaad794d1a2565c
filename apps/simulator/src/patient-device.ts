import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import {
  LIVE_RECONNECTION,
  type CheckIn,
  type ClientToServerEvents,
  type Reading,
  type ServerToClientEvents,
  type SimpleAck,
  type SubmitAck,
} from '@vigil/contracts';
import { sleep, type Logger } from './sim-log';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Where the socket's handshake token comes from: the patient's login, or a device credential. */
export interface TokenSource {
  token(): Promise<string>;
  /** The server refused the token at the handshake. */
  invalidate(): void;
}

export type Submission =
  | { kind: 'checkin'; sessionId: string; clientId: string; body: CheckIn }
  | { kind: 'vitals'; sessionId: string; clientId: string; readings: Reading[] }
  | { kind: 'help'; sessionId: string; clientId: string; note: string };

/** A submission before the device has minted its clientId. */
export type NewSubmission = Submission extends infer S
  ? S extends Submission
    ? Omit<S, 'clientId'>
    : never
  : never;

/** Answers worth another try with the same clientId; the rest would fail the same way again. */
const RETRYABLE = new Set(['rate_limited', 'unavailable', 'internal', 'timeout']);
/** A phone keeps about ten minutes of 1 Hz oximeter batches while offline, then drops the oldest. */
const OUTBOX_LIMIT = 2_000;
const ACK_TIMEOUT_MS = 10_000;

/**
 * The patient's phone on /live: one socket, a FIFO outbox sent one at a time and retried with
 * the same clientId until the server acknowledges it (the server de-duplicates by clientId),
 * and presence heartbeats. A new clientId is minted once per submission, never per attempt.
 */
export class PatientDevice {
  private socket: LiveSocket | null = null;
  private readonly outbox: Submission[] = [];
  private pumping = false;
  private closed = false;
  acknowledged = 0;
  retries = 0;

  constructor(
    private readonly api: TokenSource,
    private readonly log: Logger,
    private readonly label: string,
  ) {}

  connect(url: string): void {
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
      if (err.message === 'unauthorized') this.api.invalidate();
      if (!socket.active && !this.closed) this.reconnectSoon();
    });
    socket.on('connect', () => void this.pump());
    this.socket = socket;
  }

  close(): void {
    this.closed = true;
    this.socket?.disconnect();
  }

  get connected(): boolean {
    return this.socket?.connected === true;
  }

  get pending(): number {
    return this.outbox.length;
  }

  submit(item: NewSubmission): void {
    this.outbox.push({ ...item, clientId: randomUUID() });
    if (this.outbox.length > OUTBOX_LIMIT) {
      const dropAt = this.outbox.findIndex((s) => s.kind === 'vitals');
      if (dropAt >= 0) this.outbox.splice(dropAt, 1);
    }
    void this.pump();
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

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.closed && this.outbox.length > 0 && this.socket?.connected) {
        const item = this.outbox[0];
        const ack = await this.send(this.socket, item);
        if (ack.ok) {
          this.outbox.shift();
          this.acknowledged++;
        } else if (RETRYABLE.has(ack.error.code)) {
          this.retries++;
          await sleep(ack.error.code === 'rate_limited' ? 2_000 : 1_000);
        } else {
          this.log.warn(`${this.label}: ${item.kind} refused: ${ack.error.message}`);
          this.outbox.shift();
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private async send(
    socket: LiveSocket,
    item: Submission,
  ): Promise<SubmitAck | { ok: false; error: { code: string; message: string } }> {
    const s = socket.timeout(ACK_TIMEOUT_MS);
    try {
      switch (item.kind) {
        case 'checkin':
          return (await s.emitWithAck('checkin.submit', {
            sessionId: item.sessionId,
            clientId: item.clientId,
            ...item.body,
          })) as SubmitAck;
        case 'vitals':
          return (await s.emitWithAck('vitals.submit', {
            sessionId: item.sessionId,
            clientId: item.clientId,
            readings: item.readings,
          })) as SubmitAck;
        case 'help':
          return (await s.emitWithAck('help.request', {
            sessionId: item.sessionId,
            clientId: item.clientId,
            note: item.note,
          })) as SubmitAck;
      }
    } catch {
      // No ack in time (or the socket dropped): same clientId again, the server de-duplicates.
      return { ok: false, error: { code: 'timeout', message: 'no acknowledgement' } };
    }
  }
}
