import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { DevicesModule } from '../devices/devices.module';
import { EventsModule } from '../events/events.module';
import { HealthModule } from '../health/health.module';
import { MetricsModule } from '../metrics/metrics.module';
import { PresenceModule } from '../presence/presence.module';
import { SessionsModule } from '../sessions/sessions.module';
import { SubmissionsModule } from '../submissions/submissions.module';
import { BoardService } from './board.service';
import { CrossInstanceStatus } from './cross-instance-status';
import { LiveAccessRecheck } from './live-access-recheck';
import { LiveEmitter } from './live-emitter';
import { LiveInbound } from './live-inbound';
import { LiveFanoutListener } from './live-fanout.listener';
import { LiveRevocationListener } from './live-revocation.listener';
import { LiveGateway } from './live.gateway';
import { WatchService } from './watch.service';

@Module({
  imports: [
    AuditModule,
    AuthModule,
    DevicesModule,
    EventsModule,
    HealthModule,
    MetricsModule,
    PresenceModule,
    SessionsModule,
    SubmissionsModule,
  ],
  providers: [
    LiveGateway,
    LiveInbound,
    LiveEmitter,
    LiveFanoutListener,
    LiveRevocationListener,
    LiveAccessRecheck,
    WatchService,
    BoardService,
    CrossInstanceStatus,
  ],
})
export class RealtimeModule {}
