import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  Ack,
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import {
  BAD_TEXT_MESSAGE,
  findUnstorableText,
  LIVE_NAMESPACE,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SimpleAck,
  type SubmitAck,
  type WatchAck,
  type WatchManyAck,
} from '@vigil/contracts';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import type { RequestContext } from '../../common/request-context';
import { auditFrom } from '../audit/audit.service';
import { DenialAudit } from '../audit/denial-audit';
import { AuthService } from '../auth/auth.service';
import { DeviceLiveService } from '../devices/device-live.service';
import { PresenceService } from '../presence/presence.service';
import { SessionAccess } from '../sessions/session-access';
import { SessionsService } from '../sessions/sessions.service';
import { Admission, type AdmissionClass } from '../events/admission';
import { BUSY_MESSAGE } from '../events/submission-queue';
import { SubmissionsService } from '../submissions/submissions.service';
import { BoardService } from './board.service';
import { CrossInstanceStatus } from './cross-instance-status';
import { LiveEmitter, type LiveNamespace } from './live-emitter';
import { handshakeMiddleware, verifyAfterJoin, type SocketData } from './live-handshake';
import { familyRoom, userRoom } from './live-rooms';
import { RateLimits } from './rate-limiter';
import {
  ackError,
  parseCheckIn,
  parseHelp,
  parseSessionOnly,
  parseVitals,
  parseWatch,
  parseWatchMany,
  refusalAck,
} from './socket-payloads';
import { WatchService } from './watch.service';

type LiveSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

type AnyAck<T> = ((ack: T) => void) | undefined;

function safeAck<T>(ack: AnyAck<T>, value: T): void {
  if (typeof ack === 'function') ack(value);
}

/** The session a message is about, for its rate limit (validated later, by the handler). */
function sessionIdOf(payload: unknown): string | null {
  const id = (payload as { sessionId?: unknown } | null)?.sessionId;
  return typeof id === 'string' ? id.slice(0, 64).toLowerCase() : null;
}

/**
 * The `/live` namespace, inbound: authentication in a handshake middleware (guards do not run
 * on connection), the rate limit, and the message handlers. Access is checked again on every
 * event and every watch. Handlers validate, hand off to a service, and always answer through the
 * ack, never by throwing. What goes out because something was committed (watch delivery, board
 * summaries, the relay to other instances) and access revocation are the listeners' work
 * (LiveFanoutListener, LiveRevocationListener), through the LiveEmitter this gateway binds.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy
{
  private readonly logger = new Logger('LiveGateway');
  @WebSocketServer() private nsp!: LiveNamespace;
  private unsubscribers: Array<() => void> = [];
  private readonly limits: RateLimits;

  constructor(
    private readonly auth: AuthService,
    private readonly access: SessionAccess,
    private readonly submissions: SubmissionsService,
    private readonly watches: WatchService,
    private readonly presence: PresenceService,
    private readonly emitter: LiveEmitter,
    private readonly denials: DenialAudit,
    private readonly sessions: SessionsService,
    private readonly crossInstance: CrossInstanceStatus,
    private readonly devices: DeviceLiveService,
    private readonly admission: Admission,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.limits = new RateLimits({
      perSecond: config.SOCKET_RATE_LIMIT_PER_SECOND,
      burst: config.SOCKET_RATE_LIMIT_BURST,
      userFactor: 5,
      maxStrikes: 50,
    });
  }

  afterInit(nsp: LiveNamespace): void {
    const users = handshakeMiddleware(this.auth, (entry) => this.denials.record(entry));
    nsp.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      if (this.devices.isCredential(token)) return this.admitDevice(socket, token, next);
      users(socket, next);
    });
    this.emitter.bind(nsp);
    // Dashboards show when this instance's events may reach the others late.
    this.unsubscribers.push(
      this.crossInstance.onChange((state) =>
        this.emitter.toAllLocal('server.status', { crossInstanceDelivery: state }),
      ),
    );
  }

  onModuleDestroy(): void {
    for (const off of this.unsubscribers) off();
    this.unsubscribers = [];
  }

  handleConnection(socket: LiveSocket): void {
    const data = socket.data;
    if (data.device) return this.devices.admit(socket, data.device);
    if (!data.user) {
      socket.disconnect(true);
      return;
    }
    void socket.join(userRoom(data.user.id));
    if (data.familyId) void socket.join(familyRoom(data.familyId));
    for (const room of BoardService.roomsFor(data.user)) void socket.join(room);
    data.verified = verifyAfterJoin(this.auth, socket, (entry) => this.denials.record(entry));
    // The socket lives no longer than its token.
    data.expiryTimer = setTimeout(
      () => socket.disconnect(true),
      Math.max(0, data.expiresAt - Date.now()),
    );
    data.expiryTimer.unref();
    if (this.crossInstance.isDegraded())
      socket.emit('server.status', { crossInstanceDelivery: 'degraded' });
  }

  handleDisconnect(socket: LiveSocket): void {
    if (socket.data.expiryTimer) clearTimeout(socket.data.expiryTimer);
    this.watches.disconnected(socket.id);
  }

  @SubscribeMessage('checkin.submit')
  onCheckIn(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() payload: unknown,
    @Ack() ack: AnyAck<SubmitAck>,
  ): void {
    this.handle(socket, payload, ack, 'priority', async () => {
      const parsed = parseCheckIn(payload);
      if (!parsed.ok) return parsed;
      const { sessionId, body } = parsed.value;
      return { ok: true, ...(await this.submissions.checkIn(this.ctx(socket), sessionId, body)) };
    });
  }

  @SubscribeMessage('vitals.submit')
  onVitals(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() payload: unknown,
    @Ack() ack: AnyAck<SubmitAck>,
  ): void {
    this.handle(socket, payload, ack, 'routine', async () => {
      const parsed = parseVitals(payload);
      if (!parsed.ok) return parsed;
      const { sessionId, body } = parsed.value;
      const { device, ip, userAgent } = socket.data;
      if (device) return this.devices.submit(socket, device, sessionId, body, { ip, userAgent });
      return { ok: true, ...(await this.submissions.vitals(this.ctx(socket), sessionId, body)) };
    });
  }

  @SubscribeMessage('help.request')
  onHelp(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() payload: unknown,
    @Ack() ack: AnyAck<SubmitAck>,
  ): void {
    this.handle(socket, payload, ack, 'help', async () => {
      const parsed = parseHelp(payload);
      if (!parsed.ok) return parsed;
      const { sessionId, body } = parsed.value;
      return { ok: true, ...(await this.submissions.help(this.ctx(socket), sessionId, body)) };
    });
  }

  @SubscribeMessage('presence.heartbeat')
  onHeartbeat(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() payload: unknown,
    @Ack() ack: AnyAck<SimpleAck>,
  ): void {
    this.handle(socket, payload, ack, null, async (): Promise<SimpleAck> => {
      const parsed = parseSessionOnly(payload);
      if (!parsed.ok) return parsed;
      const user = socket.data.user;
      const session = await this.access.findVisible(user, parsed.value.sessionId);
      // Only the patient's own device speaks for the patient's presence.
      // Not visible and absent answer alike (no existence oracle, as over REST).
      if (!session || user.role !== 'patient') {
        await this.sessions.denied(this.ctx(socket), parsed.value.sessionId, 'presence.heartbeat');
        return session
          ? ackError('forbidden', 'sessionId: only the patient device sends heartbeats')
          : ackError('not_found', 'sessionId: no such session');
      }
      const live = await this.presence.heartbeat(parsed.value.sessionId);
      return live ? { ok: true } : ackError('invalid', 'sessionId: the session is not live');
    });
  }

  @SubscribeMessage('session.watch')
  onWatch(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() payload: unknown,
    @Ack() ack: AnyAck<WatchAck>,
  ): void {
    this.handle(socket, payload, ack, null, async (reply): Promise<null> => {
      const parsed = parseWatch(payload);
      if (!parsed.ok) {
        reply(parsed);
        return null;
      }
      const { sessionId, afterSeq } = parsed.value;
      await this.watches.watch(this.ctx(socket), socket.id, sessionId, afterSeq, reply);
      return null;
    });
  }

  /**
   * v1.1 addition: one message (one rate-limit token) subscribes a board to many sessions, so a
   * clinician re-watching 200 sessions after a reconnect is not taken for a flooder.
   */
  @SubscribeMessage('sessions.watch')
  onWatchMany(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() payload: unknown,
    @Ack() ack: AnyAck<WatchManyAck>,
  ): void {
    this.handle(socket, payload, ack, null, async (reply): Promise<null> => {
      const parsed = parseWatchMany(payload);
      if (!parsed.ok) {
        reply(parsed);
        return null;
      }
      await this.watches.watchMany(this.ctx(socket), socket.id, parsed.value.sessions, (slots) =>
        reply({ ok: true, sessions: slots }),
      );
      return null;
    });
  }

  @SubscribeMessage('session.unwatch')
  onUnwatch(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() payload: unknown,
    @Ack() ack: AnyAck<SimpleAck>,
  ): void {
    this.handle(socket, payload, ack, null, (): Promise<SimpleAck> => {
      const parsed = parseSessionOnly(payload);
      if (!parsed.ok) return Promise.resolve(parsed);
      this.watches.unwatch(socket.id, parsed.value.sessionId);
      return Promise.resolve({ ok: true });
    });
  }

  /** A paired device's handshake: no user, only its device identity (DeviceLiveService). */
  private admitDevice(socket: Socket, token: string, next: (err?: Error) => void): void {
    const data = socket.data as SocketData;
    data.ip = socket.handshake.address ?? null;
    data.userAgent = socket.handshake.headers['user-agent'] ?? null;
    this.devices
      .authenticate(token, { ip: data.ip, userAgent: data.userAgent })
      .then((device) => {
        if (!device) return next(new Error('unauthorized'));
        data.device = device;
        // Every submission re-reads the device row, so nothing is left to verify after joining.
        data.verified = Promise.resolve(true);
        next();
      })
      .catch(() => next(new Error('unauthorized')));
  }

  private ctx(socket: LiveSocket): RequestContext {
    return { user: socket.data.user, ip: socket.data.ip, userAgent: socket.data.userAgent };
  }

  /**
   * Rate limit, admit, run, answer. A submission (`kind` set) is admitted or refused
   * `unavailable` before anything is done for it (Admission). A handler may answer itself through
   * `reply` (and return null). A refusal a service throws (an HttpException) is answered with its
   * code and message (`refusalAck`); anything else thrown becomes an `internal` ack: the socket
   * and the process survive.
   */
  private handle<T extends { ok: boolean }>(
    socket: LiveSocket,
    payload: unknown,
    ack: AnyAck<T>,
    kind: AdmissionClass | null,
    run: (reply: (value: T) => void) => Promise<T | null>,
  ): void {
    let answered = false;
    const reply = (value: T) => {
      if (answered) return;
      answered = true;
      safeAck(ack, value);
    };
    // A device is limited like an account of its own.
    const device = socket.data.device;
    const user = device ? { id: `device:${device.id}` } : socket.data.user;
    const verdict = this.limits.take(user.id, sessionIdOf(payload), Date.now());
    if (verdict !== 'ok') {
      reply(ackError('rate_limited', 'too many messages: slow down') as unknown as T);
      socket.emit('rate_limited', { message: 'too many messages from this account' });
      if (verdict === 'abusive') {
        this.logger.warn(`disconnecting flooding socket of user ${user.id}`);
        this.denials.record(
          auditFrom(
            device
              ? { ...this.ctx(socket), user: { id: device.id, role: 'device' } }
              : this.ctx(socket),
            {
              action: 'live.flood_disconnect',
              entityType: device ? 'device' : 'user',
              entityId: device?.id ?? user.id,
              patientId: device?.patientId ?? null,
              outcome: 'denied',
              detail: { reason: 'rate_limit' },
            },
          ),
        );
        socket.disconnect(true);
      }
      return;
    }
    const release = kind === null ? () => undefined : this.admission.admit(kind);
    if (release === null) {
      reply(ackError('unavailable', BUSY_MESSAGE) as unknown as T);
      return;
    }
    const badField = findUnstorableText(payload);
    if (badField !== null) {
      release();
      // 'invalid' is final for the phone's outbox: a retry of the same bytes cannot succeed.
      reply(ackError('invalid', `${badField}: ${BAD_TEXT_MESSAGE}`) as unknown as T);
      return;
    }
    socket.data.verified
      .then((ok) => (ok ? run(reply) : null))
      .then((value) => {
        if (value !== null) reply(value);
      })
      .catch((err: Error) => {
        // A service's refusal (404, 409, a busy 503 ...) is an answer, not a fault.
        const refusal = refusalAck(err);
        if (refusal) {
          reply(refusal as unknown as T);
          return;
        }
        this.logger.error(`handler failed: ${err.message}`);
        reply(ackError('internal', 'internal error; retry with the same clientId') as unknown as T);
      })
      .finally(release);
  }
}
