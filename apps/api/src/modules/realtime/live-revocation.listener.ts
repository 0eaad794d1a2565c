import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { AccountEvents, type AccountEvent } from '../auth/account-events';
import { SessionAccess } from '../sessions/session-access';
import { LiveEmitter } from './live-emitter';
import { familyRoom, userRoom } from './live-rooms';
import { WatchService } from './watch.service';

/**
 * Access revocation on live connections: a logout, a deactivation or a reused refresh token ends
 * the sockets; an ended assignment stops the clinician's watches of that patient's sessions on
 * every instance (unless another assignment still lets them see it).
 */
@Injectable()
export class LiveRevocationListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('LiveRevocation');
  private off: (() => void) | null = null;

  constructor(
    private readonly accountEvents: AccountEvents,
    private readonly watches: WatchService,
    private readonly access: SessionAccess,
    private readonly emitter: LiveEmitter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.off = this.accountEvents.subscribe((event) => void this.onAccountEvent(event));
    this.emitter.onRelay(
      'vigil:revoked',
      (userId, sessionIds, endedAt) =>
        void this.revokeLocal(userId, sessionIds, endedAt ? new Date(endedAt) : undefined),
    );
  }

  onModuleDestroy(): void {
    this.off?.();
    this.off = null;
  }

  private async onAccountEvent(event: AccountEvent): Promise<void> {
    try {
      switch (event.type) {
        case 'user.logged_out':
        case 'user.deactivated':
          this.emitter.disconnectRoom(userRoom(event.userId));
          return;
        case 'family.revoked':
          this.emitter.disconnectRoom(familyRoom(event.familyId));
          return;
        case 'assignment.ended': {
          const sessionIds = await this.watches.sessionsOfPatient(event.patientId);
          await this.revokeLocal(event.clinicianId, sessionIds, event.endedAt);
          if (this.config.REDIS_URL)
            this.emitter.relay(
              'vigil:revoked',
              event.clinicianId,
              sessionIds,
              event.endedAt.toISOString(),
            );
          return;
        }
      }
    } catch (err) {
      this.logger.error(`account event handling failed: ${(err as Error).message}`);
    }
  }

  /**
   * Stops this instance's watches of a user for sessions they may no longer see, judged no
   * earlier than the end as recorded: an instance whose clock is a few milliseconds behind the
   * ending one's would otherwise still find the assignment valid, and keep the watch until its
   * next access re-check (LIVE_ACCESS_RECHECK_SECONDS).
   */
  private async revokeLocal(userId: string, sessionIds: string[], endedAt?: Date): Promise<void> {
    const sockets = await this.emitter.localSocketsIn(userRoom(userId));
    for (const socket of sockets) {
      const user = socket.data.user;
      for (const sessionId of sessionIds) {
        if (!this.watches.isWatching(sessionId, socket.id)) continue;
        // Another assignment still holds.
        if (await this.access.canSee(user, sessionId, endedAt)) continue;
        this.watches.unwatch(socket.id, sessionId);
      }
    }
  }
}
