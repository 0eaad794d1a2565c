import { z } from 'zod';
import type { SessionEvent } from './session-events';
import type { WatchReadings } from './latest-readings';
import {
  oneOf,
  type CheckInSubmission,
  type HelpSubmission,
  type VitalsSubmission,
} from './schemas';

/** The one event map that types both the gateway and every socket client (contract v1, /live). */
export const LIVE_NAMESPACE = '/live';

/**
 * socket.io-client reconnection settings every Vigil client uses (dashboard, phone, simulator).
 * The library's backoff doubles from `reconnectionDelay` up to `reconnectionDelayMax`, each delay
 * spread by +/- `randomizationFactor`, so a restarted instance sees its sockets return over a
 * window instead of at one instant. A cap of 2.5 s keeps a client's next try at most ~3.75 s
 * after the server is back (300 sockets back within 10 s of a restart, issue 13); the jitter
 * spreads 300 handshakes over seconds (about 100/s at the cap, which one instance absorbs).
 */
export const LIVE_RECONNECTION = {
  reconnectionDelay: 250,
  reconnectionDelayMax: 2500,
  randomizationFactor: 0.5,
} as const;

/**
 * The `/live` handshake's refusals (`connect_error` messages). `unauthorized` is a verdict on the
 * credential (get a new token; a device is revoked). `unavailable` (v1.7) says nothing about it:
 * the server could not check it just now (its database was unreachable), so connect again later
 * with the same credential.
 */
export const HANDSHAKE_UNAUTHORIZED = 'unauthorized';
export const HANDSHAKE_UNAVAILABLE = 'unavailable';

export type SocketErrorCode =
  'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited' | 'unavailable' | 'internal';

export interface AckError {
  ok: false;
  error: { code: SocketErrorCode; message: string };
}

export type SubmitAck = { ok: true; seq: number; duplicate: boolean } | AckError;
/**
 * `upToSeq` (v1.5, sent when the watch asked for `readings: 'latest'`): the answer covers the log
 * up to this seq, though it leaves out the readings superseded there; the next event to expect is
 * `upToSeq + 1`.
 */
export type WatchAck =
  { ok: true; events: SessionEvent[]; headSeq: number; upToSeq?: number } | AckError;
export type SimpleAck = { ok: true } | AckError;

/** Most sessions one `sessions.watch` may name (v1.1 addition); a bigger board sends several. */
export const WATCH_MANY_LIMIT = 250;
/** One slot of a `sessions.watch` ack: the session's own `session.watch` answer, with its id. */
export type WatchSlot = { sessionId: string } & WatchAck;
export type WatchManyAck = { ok: true; sessions: WatchSlot[] } | AckError;

export interface BoardSummary {
  sessionId: string;
  state: string;
  headSeq: number;
  latestVitals: Partial<Record<string, { value: number; measuredAt: string }>>;
  lastCheckInAt: string | null;
  openAlertPriority: string | null;
  presence: 'online' | 'silent' | 'unknown';
  /**
   * v1.11: when the patient's last message was sent, while nobody on the care team has written
   * since (the web tile's "✉ 04:12"); null otherwise. Absent from a server before v1.11.
   */
  patientMessageAt?: string | null;
}

/**
 * v1.3: how a board socket takes its summaries, chosen in the handshake (`auth.board`) so it holds
 * for the socket's whole life with no window in which the other form arrives. `updated` (the
 * default, what a v1 client gets): one `board.updated` per summary. `batch`: one `board.batch` per
 * 250 ms flush with every summary of that flush the socket may see.
 */
export const BOARD_FORMATS = ['updated', 'batch'] as const;
export type BoardFormat = (typeof BOARD_FORMATS)[number];
/**
 * v1.6: how a watching socket takes live session events, chosen in the handshake (`auth.events`)
 * for the socket's whole life. `event` (the default, what a v1 client gets): one `session.event`
 * per event. `batch`: one `session.events` per commit the socket watches something of, holding
 * every event of it the socket is owed, each session's in seq order.
 */
export const EVENT_FORMATS = ['event', 'batch'] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];
/** The handshake fields beside `token` (which the authentication reads on its own). */
export const liveHandshakeOptionsSchema = z.object({
  board: oneOf(BOARD_FORMATS).default('updated'),
  events: oneOf(EVENT_FORMATS).default('event'),
});

/**
 * v1.6: live events for a socket whose handshake asked `events: 'batch'`, never empty. Each
 * session's events are in seq order with the same no-gap, no-duplicate guarantee as
 * `session.event`; events of different sessions may interleave.
 */
export interface SessionEventBatch {
  events: SessionEvent[];
}

/** v1.3: the summaries of one board flush, each session at most once, in no promised order. */
export interface BoardBatch {
  summaries: BoardSummary[];
}

export interface ClientToServerEvents {
  'checkin.submit': (
    payload: { sessionId: string } & CheckInSubmission,
    ack: (a: SubmitAck) => void,
  ) => void;
  'vitals.submit': (
    payload: { sessionId: string } & VitalsSubmission,
    ack: (a: SubmitAck) => void,
  ) => void;
  'help.request': (
    payload: { sessionId: string } & HelpSubmission,
    ack: (a: SubmitAck) => void,
  ) => void;
  'presence.heartbeat': (payload: { sessionId: string }, ack?: (a: SimpleAck) => void) => void;
  'session.watch': (
    payload: { sessionId: string; afterSeq: number; readings?: WatchReadings },
    ack: (a: WatchAck) => void,
  ) => void;
  'session.unwatch': (payload: { sessionId: string }, ack?: (a: SimpleAck) => void) => void;
  /** v1.1 addition: a board subscribes to many sessions in one message, one slot per session. */
  'sessions.watch': (
    payload: {
      sessions: Array<{ sessionId: string; afterSeq: number; readings?: WatchReadings }>;
    },
    ack: (a: WatchManyAck) => void,
  ) => void;
}

/** Whether this API instance's events reach the others right now (v1.2). */
export interface ServerStatus {
  crossInstanceDelivery: 'single' | 'ok' | 'degraded';
  /**
   * v1.8: whether this instance's database answers, and since when (ISO 8601). While it is
   * `unavailable` nothing patients send is stored or shown (their phones keep it and send it
   * again); absent from a server older than v1.8.
   */
  database?: { state: 'ok' | 'unavailable'; since: string };
}

/** The head of each session a socket watches, every few seconds (v1.2). */
export interface SessionHead {
  sessionId: string;
  headSeq: number;
}

export interface ServerToClientEvents {
  'session.event': (event: SessionEvent) => void;
  /** v1.6: instead of `session.event`, for a socket whose handshake asked `events: 'batch'`. */
  'session.events': (batch: SessionEventBatch) => void;
  /** v1.2: a watcher whose lastSeq is below a head missed events: re-watch from lastSeq. */
  'session.heads': (heads: SessionHead[]) => void;
  /**
   * v1.2: sent on connect when anything is wrong and on every change; 'degraded' means events may
   * arrive late; v1.8 adds `database`.
   */
  'server.status': (status: ServerStatus) => void;
  'board.updated': (summary: BoardSummary) => void;
  /** v1.3: instead of `board.updated`, for a socket whose handshake asked `board: 'batch'`. */
  'board.batch': (batch: BoardBatch) => void;
  rate_limited: (info: { message: string }) => void;
}
