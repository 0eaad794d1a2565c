import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { LIVE_STATES } from '@vigil/contracts';
import { ShutdownState } from '../../common/shutdown-state';
import { CLOCK, type Clock } from '../../common/clock';
import { EventStore, appendedEvents, type AppendRequest } from '../events/event-store';
import { InFlight } from '../events/in-flight';
import {
  claimSilentDevices,
  lockSessionPresence,
  markDeviceOnline,
  markDevicesSilent,
} from './presence.repository';
import { backgroundInterval } from '../../common/background-interval';

/**
 * Silence after which the board shows a device as silent ("no signal"): the phone beats every
 * 15 s, so 25 s is one beat missed by 10 s (issue 13: shown within 20 s of the beat's due time).
 * It is what the clinician sees, not the alarm: the low `device_offline` alert keeps CLINICAL.md's
 * 60 s (the alert engine counts from the last heartbeat itself, not from this event).
 */
export const DEVICE_SILENT_AFTER_MS = 25_000;
/** With the 25 s above, a silence is on the board by 27 s plus delivery. */
const SWEEP_INTERVAL_MS = 2000;

function presenceEvent(
  sessionId: string,
  presence: 'online' | 'silent',
  lastSeenAt: Date,
): AppendRequest {
  return {
    sessionId,
    type: 'presence.changed',
    actorId: null,
    clientId: null,
    bodyHash: null,
    clientTime: null,
    data: { presence, lastSeenAt: lastSeenAt.toISOString() },
    audit: null,
  };
}

/**
 * Device presence from the patient app's heartbeats, kept in the sessions row so that every API
 * instance (and a restarted one) agrees. A change is a `presence.changed` session event: online
 * when a heartbeat arrives after silence, silent when none came for 25 s (found by the sweep).
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Presence');
  private timer: NodeJS.Timeout | null = null;
  /** Sweeps in progress: shutdown waits for them (see onModuleDestroy). */
  private readonly sweeping = new InFlight();

  constructor(
    private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly shutdown: ShutdownState,
  ) {}

  onModuleInit(): void {
    this.timer = backgroundInterval(
      SWEEP_INTERVAL_MS,
      () => this.sweep(),
      this.logger,
      this.shutdown,
      'sweep',
    );
  }

  /**
   * Stops the sweep and waits for one in progress: app.close() releases the pool's connections
   * next, and a sweep cut there lost its transaction (the silence recorded by another instance's
   * sweep later, or by the next start's) with a "sweep failed" in the log.
   */
  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping.settled();
  }

  /** Records a heartbeat; returns false when the session is not live. */
  async heartbeat(sessionId: string): Promise<boolean> {
    const now = this.clock.now();
    return this.store.unitOfWork(async ({ manager, append }) => {
      const row = await lockSessionPresence(manager, sessionId);
      if (!row || !(LIVE_STATES as readonly string[]).includes(row.state)) return false;
      await markDeviceOnline(manager, sessionId, now);
      if (row.devicePresence === 'online') return true;
      await append([presenceEvent(sessionId, 'online', now)]);
      return true;
    });
  }

  /**
   * Marks devices silent. Rows are claimed with SKIP LOCKED and re-checked under the lock, so
   * with several instances sweeping at once each silence is recorded exactly once.
   */
  sweep(): Promise<number> {
    return this.sweeping.track(this.markSilent());
  }

  private async markSilent(): Promise<number> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - DEVICE_SILENT_AFTER_MS);
    return this.store.unitOfWork(async ({ manager, append }) => {
      const due = await claimSilentDevices(manager, cutoff, LIVE_STATES);
      if (due.length === 0) return 0;
      await markDevicesSilent(
        manager,
        due.map((d) => d.id),
      );
      const outcomes = await append(due.map((d) => presenceEvent(d.id, 'silent', d.lastSeenAt)));
      return appendedEvents(outcomes).length;
    });
  }
}
