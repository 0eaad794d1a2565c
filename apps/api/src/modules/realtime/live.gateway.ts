import { type OnModuleDestroy } from '@nestjs/common';
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
  HANDSHAKE_UNAUTHORIZED,
  HANDSHAKE_UNAVAILABLE,
  LIVE_NAMESPACE,
  type ServerStatus,
  type SimpleAck,
  type SubmissionResult,
  type SubmitAck,
  type WatchAck,
  type WatchManyAck,
} from '@vigil/contracts';
import { DenialAudit } from '../audit/denial-audit';
import { AuthService } from '../auth/auth.service';
import { DeviceLiveService } from '../devices/device-live.service';
import { DatabaseStatus } from '../health/database-status';
import { PresenceService } from '../presence/presence.service';
import { SessionAccess } from '../sessions/session-access';
import { SessionsService } from '../sessions/sessions.service';
import { vitalsAdmissionClass } from '../events/vitals-admission';
import { SubmissionsService } from '../submissions/submissions.service';
import { boardBatchRoom } from './board-delivery';
import { BoardService } from './board.service';
import { CrossInstanceStatus } from './cross-instance-status';
import { LiveEmitter, type LiveNamespace } from './live-emitter';
import {
  handshakeMiddleware,
  verifyAfterJoin,
  type LiveSocket,
  type SocketData,
} from './live-handshake';
import {
  ackError,
  contextOf,
  LiveInbound,
  parseCheckIn,
  parseHelp,
  parseSessionOnly,
  parseVitals,
  parseWatch,
  parseWatchMany,
} from './live-inbound';
import { familyRoom, userRoom } from './live-rooms';
import { WatchService } from './watch.service';

type AnyAck<T> = ((ack: T) => void) | undefined;

/** A submission's ack: what REST answers for it (`seq`, `duplicate`), marked ok. */
async function submitAck(result: Promise<SubmissionResult>): Promise<SubmitAck> {
  return { ok: true, ...(await result) };
}

/**
 * The `/live` namespace, inbound: authentication in a handshake middleware (guards do not run
 * on connection), and the message handlers. Each handler names the payload's parser and hands
 * the parsed value to a service; `LiveInbound` runs what every message goes through first (the
 * rate limit, admission, the text check, the handshake's verdict) and turns the outcome, or a
 * service's refusal, into the ack. Access is checked again on every event and every watch. What
 * goes out because something was committed (watch delivery, board summaries, the relay to other
 * instances) and access revocation are the listeners' work (LiveFanoutListener,
 * LiveRevocationListener), through the LiveEmitter this gateway binds.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy
{
  @WebSocketServer() private nsp!: LiveNamespace;
  private unsubscribers: Array<() => void> = [];

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
    private readonly inbound: LiveInbound,
    private readonly database: DatabaseStatus,
  ) {}

  afterInit(nsp: LiveNamespace): void {
    const users = handshakeMiddleware(this.auth, (entry) => this.denials.record(entry));
    nsp.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      if (this.devices.isCredential(token)) return this.admitDevice(socket, token, next);
      users(socket, next);
    });
    this.emitter.bind(nsp);
    // Dashboards show when this instance's events may reach the others late, and when its
    // database does not answer (nothing sent is stored or shown then).
    const announce = () => this.emitter.toAllLocal('server.status', this.serverStatus());
    this.unsubscribers.push(
      this.crossInstance.onChange(announce),
      this.database.onChange(announce),
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
    // The same board rooms either way (the same access); only the form of what is sent differs.
    for (const room of BoardService.roomsFor(data.user))
      void socket.join(data.boardFormat === 'batch' ? boardBatchRoom(room) : room);
    data.verified = verifyAfterJoin(this.auth, socket, (entry) => this.denials.record(entry));
    // The socket lives no longer than its token.
    data.expiryTimer = setTimeout(
      () => socket.disconnect(true),
      Math.max(0, data.expiresAt - Date.now()),
    );
    data.expiryTimer.unref();
    if (this.crossInstance.isDegraded() || this.database.isUnavailable())
      socket.emit('server.status', this.serverStatus());
  }

  private serverStatus(): ServerStatus {
    return {
      crossInstanceDelivery: this.crossInstance.describe().state,
      database: this.database.describe(),
    };
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
    this.inbound.handle(socket, payload, ack, 'priority', parseCheckIn, (p) =>
      submitAck(this.submissions.checkIn(contextOf(socket), p.sessionId, p.body)),
    );
  }

  @SubscribeMessage('vitals.submit')
  onVitals(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() payload: unknown,
    @Ack() ack: AnyAck<SubmitAck>,
  ): void {
    this.inbound.handle(socket, payload, ack, vitalsAdmissionClass(payload), parseVitals, (p) => {
      const { device, ip, userAgent } = socket.data;
      if (device)
        return this.devices.submit(socket, device, p.sessionId, p.body, { ip, userAgent });
      return submitAck(this.submissions.vitals(contextOf(socket), p.sessionId, p.body));
    });
  }

  @SubscribeMessage('help.request')
  onHelp(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() payload: unknown,
    @Ack() ack: AnyAck<SubmitAck>,
  ): void {
    this.inbound.handle(socket, payload, ack, 'help', parseHelp, (p) =>
      submitAck(this.submissions.help(contextOf(socket), p.sessionId, p.body)),
    );
  }

  @SubscribeMessage('presence.heartbeat')
  onHeartbeat(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() payload: unknown,
    @Ack() ack: AnyAck<SimpleAck>,
  ): void {
    this.inbound.handle(socket, payload, ack, null, parseSessionOnly, async ({ sessionId }) => {
      const user = socket.data.user;
      // Only the patient's own device speaks for the patient's presence: for the patient, the
      // submissions' check (its verdict remembered; a phone beats every 15 s). Not visible and
      // absent answer alike (no existence oracle, as over REST).
      const own = user.role === 'patient' && (await this.access.findSubmittable(user, sessionId));
      if (!own) {
        const seen = user.role !== 'patient' && (await this.access.canSee(user, sessionId));
        await this.sessions.denied(contextOf(socket), sessionId, 'presence.heartbeat');
        return seen
          ? ackError('forbidden', 'sessionId: only the patient device sends heartbeats')
          : ackError('not_found', 'sessionId: no such session');
      }
      const live = await this.presence.heartbeat(sessionId);
      return live ? { ok: true } : ackError('invalid', 'sessionId: the session is not live');
    });
  }

  @SubscribeMessage('session.watch')
  onWatch(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() payload: unknown,
    @Ack() ack: AnyAck<WatchAck>,
  ): void {
    this.inbound.handle(socket, payload, ack, null, parseWatch, async (p, reply) => {
      await this.watches.watch(contextOf(socket), socket.id, p, reply);
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
    this.inbound.handle(socket, payload, ack, null, parseWatchMany, async (p, reply) => {
      await this.watches.watchMany(contextOf(socket), socket.id, p.sessions, (slots) =>
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
    this.inbound.handle(socket, payload, ack, null, parseSessionOnly, async ({ sessionId }) => {
      await this.watches.unwatchAsked(contextOf(socket), socket.id, sessionId);
      return { ok: true };
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
        if (!device) return next(new Error(HANDSHAKE_UNAUTHORIZED));
        data.device = device;
        // Every submission re-reads the device row, so nothing is left to verify after joining.
        data.verified = Promise.resolve(true);
        next();
      })
      // Not checked (the database did not answer): a device told `unauthorized` would think
      // itself revoked and stop streaming; `unavailable` has it connect again.
      .catch(() => next(new Error(HANDSHAKE_UNAVAILABLE)));
  }
}
