import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { AuthUser } from '../../common/request-context';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { AuthService } from '../auth/auth.service';
import { VigilMetrics } from '../metrics/vigil-metrics';
import { SessionAccess } from '../sessions/session-access';
import { LiveEmitter, type LocalSocket } from './live-emitter';
import { WatchService } from './watch.service';

/**
 * The backstop for revocations this instance was never told of. A logout, a deactivation, a
 * reused refresh token or an ended assignment acts on the sockets of every instance through the
 * Redis adapter (LiveRevocationListener), and that is at most once: with Redis down or stalled
 * the message is dropped, and a clinician disconnected on one instance would go on watching
 * patients on another until the access token ran out (15 minutes by default).
 *
 * So every LIVE_ACCESS_RECHECK_SECONDS each instance decides again, from the database, what its
 * own sockets may do: a socket whose account is inactive, whose token version was bumped or whose
 * login was revoked is ended (as a logout would); a clinician's watch of a session they may no
 * longer see is stopped (as an ended assignment would). One read for all the accounts and one
 * per clinician for their watches; patients see only their own session and supervisors all, so
 * their watches depend on the account alone. Paired devices are left out: they watch nothing,
 * and every submission of theirs reads the device row again.
 */
@Injectable()
export class LiveAccessRecheck implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('LiveAccessRecheck');
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly auth: AuthService,
    private readonly access: SessionAccess,
    private readonly watches: WatchService,
    private readonly emitter: LiveEmitter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly metrics?: VigilMetrics,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.recheck().catch((err: Error) =>
        // The database did not answer: nothing is decided, the next pass tries again.
        this.logger.warn(`access re-check skipped: ${err.message}`),
      );
    }, this.config.LIVE_ACCESS_RECHECK_SECONDS * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One pass over this instance's sockets; says how many sockets and watches it ended. */
  async recheck(): Promise<{ sockets: number; watches: number }> {
    if (this.running) return { sockets: 0, watches: 0 };
    this.running = true;
    try {
      const sockets = (await this.emitter.localSockets()).filter(
        (s) => s.data.user && !s.data.device,
      );
      const valid = await this.auth.stillValid(
        sockets.map(({ data }) => ({
          id: data.user.id,
          familyId: data.familyId,
          tokenVersion: data.tokenVersion,
        })),
      );
      const revoked = sockets.filter((_, i) => !valid[i]);
      for (const socket of revoked) socket.disconnect(true);
      const watches = await this.recheckWatches(
        sockets.filter((s, i) => valid[i] && s.data.user.role === 'clinician'),
      );
      if (revoked.length + watches > 0) {
        this.logger.warn(
          `ended ${revoked.length} socket(s) and ${watches} watch(es) whose access had been revoked without this instance being told`,
        );
        this.metrics?.revokedByRecheck.inc({ what: 'socket' }, revoked.length);
        this.metrics?.revokedByRecheck.inc({ what: 'watch' }, watches);
      }
      return { sockets: revoked.length, watches };
    } finally {
      this.running = false;
    }
  }

  /** Stops clinicians' watches of sessions they may no longer see; returns how many. */
  private async recheckWatches(sockets: LocalSocket[]): Promise<number> {
    const watched = this.watches.sessionsWatchedBy(new Set(sockets.map((s) => s.id)));
    const byUser = new Map<string, { user: AuthUser; watches: Array<[string, string[]]> }>();
    for (const socket of sockets) {
      const sessionIds = watched.get(socket.id);
      if (!sessionIds) continue;
      const { user } = socket.data;
      const entry = byUser.get(user.id) ?? { user, watches: [] };
      entry.watches.push([socket.id, sessionIds]);
      byUser.set(user.id, entry);
    }
    let stopped = 0;
    for (const { user, watches } of byUser.values()) {
      const sessionIds = [...new Set(watches.flatMap(([, ids]) => ids))];
      const visibility = await this.access.visibilityOf(user, sessionIds);
      for (const [socketId, ids] of watches) {
        for (const sessionId of ids) {
          if (visibility.get(sessionId)?.visible) continue;
          if (!this.watches.isWatching(sessionId, socketId)) continue; // ended meanwhile
          this.watches.unwatch(socketId, sessionId);
          stopped++;
        }
      }
    }
    return stopped;
  }
}
