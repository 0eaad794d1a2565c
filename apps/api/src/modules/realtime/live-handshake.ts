import type { Socket } from 'socket.io';
import {
  describeIssues,
  HANDSHAKE_UNAUTHORIZED,
  HANDSHAKE_UNAVAILABLE,
  liveHandshakeOptionsSchema,
  type BoardFormat,
  type EventFormat,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@vigil/contracts';
import type { AuthUser } from '../../common/request-context';
import type { AuditEntry } from '../audit/audit.service';
import type { AuthService } from '../auth/auth.service';
import type { DeviceIdentity } from '../devices/device-auth.service';

/** What the gateway keeps on each authenticated socket. */
export interface SocketData {
  user: AuthUser;
  /** Set instead of `user` when the handshake carried a paired device's credential. */
  device?: DeviceIdentity;
  ip: string | null;
  userAgent: string | null;
  /** The access token it connected with, checked again once the socket is in its user's room. */
  token: string;
  /** The login (refresh-token family) its token belongs to; null for older tokens. */
  familyId: string | null;
  /** The account's token version its token carries (LiveAccessRecheck compares it). */
  tokenVersion: number;
  /** Resolves true once access was decided again after the handshake; no message runs before. */
  verified: Promise<boolean>;
  expiryTimer?: NodeJS.Timeout;
  expiresAt: number;
  /** How its board summaries are sent (v1.3, `auth.board`); `updated` for a v1 client. */
  boardFormat: BoardFormat;
  /** How its live session events are sent (v1.6, `auth.events`); `event` for a v1 client. */
  eventFormat: EventFormat;
}

export type LiveSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

type HandshakeDenial = (entry: AuditEntry) => void;

function tokenOf(socket: Socket): string | null {
  const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  return typeof token === 'string' ? token : null;
}

function denial(socket: Socket, reason: string, user: AuthUser | null): AuditEntry {
  return {
    actorId: user?.id ?? null,
    actorRole: user?.role ?? null,
    action: 'live.handshake',
    entityType: 'user',
    entityId: user?.id ?? null,
    patientId: null,
    outcome: 'denied',
    ip: socket.handshake.address ?? null,
    userAgent: socket.handshake.headers['user-agent'] ?? null,
    detail: { reason },
  };
}

/**
 * The handshake's options besides the token, or the connect_error message naming the bad field.
 * A client that names none (every v1 client) gets the v1 behaviour.
 */
function optionsOf(
  socket: Socket,
): { ok: true; board: BoardFormat; events: EventFormat } | { ok: false; message: string } {
  const parsed = liveHandshakeOptionsSchema.safeParse(socket.handshake.auth ?? {});
  return parsed.success
    ? { ok: true, ...parsed.data }
    : { ok: false, message: describeIssues(parsed.error) };
}

/**
 * The handshake middleware: a valid, unexpired token of an active account, or `unauthorized`
 * (`unavailable` when it could not be checked); then well-formed options, or a connect_error naming the field (an authenticated client only:
 * nobody learns anything before the token is accepted).
 */
export function handshakeMiddleware(auth: AuthService, audit: HandshakeDenial) {
  return (socket: Socket, next: (err?: Error) => void): void => {
    const token = tokenOf(socket);
    auth
      .authenticate(token)
      .then((user) => {
        if (!user || user.expiresAt <= Date.now()) {
          audit(denial(socket, token ? 'invalid_token' : 'no_token', null));
          return next(new Error(HANDSHAKE_UNAUTHORIZED));
        }
        const options = optionsOf(socket);
        if (!options.ok) {
          const who = { id: user.id, role: user.role, name: user.name };
          audit(denial(socket, 'invalid_options', who));
          return next(new Error(options.message));
        }
        const data = socket.data as SocketData;
        data.user = { id: user.id, role: user.role, name: user.name };
        data.expiresAt = user.expiresAt;
        data.token = token ?? '';
        data.familyId = user.familyId;
        data.tokenVersion = user.tokenVersion;
        data.boardFormat = options.board;
        data.eventFormat = options.events;
        data.ip = socket.handshake.address ?? null;
        data.userAgent = socket.handshake.headers['user-agent'] ?? null;
        next();
      })
      .catch(() => {
        // The token could not be checked (the database did not answer): no verdict on it, so
        // the client keeps it and connects again, where `unauthorized` would send it to log in.
        audit(denial(socket, 'error', null));
        next(new Error(HANDSHAKE_UNAVAILABLE));
      });
  };
}

/**
 * Decides access again once the socket has joined its user's room. A logout or deactivation that
 * committed while the handshake was in flight either finds the socket in the room (and
 * disconnects it) or committed before this read (which then refuses it): no gap between them.
 */
export function verifyAfterJoin(
  auth: AuthService,
  socket: Socket,
  audit: HandshakeDenial,
): Promise<boolean> {
  const data = socket.data as SocketData;
  return auth.authenticate(data.token).then(
    (user) => {
      if (user) return true;
      audit(denial(socket, 'revoked_during_handshake', data.user));
      socket.disconnect(true);
      return false;
    },
    () => {
      socket.disconnect(true);
      return false;
    },
  );
}
