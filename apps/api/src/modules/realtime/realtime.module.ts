import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { DevicesModule } from '../devices/devices.module';
import { EventsModule } from '../events/events.module';
import { HealthModule } from '../health/health.module';
import { PresenceModule } from '../presence/presence.module';
import { SessionsModule } from '../sessions/sessions.module';
import { SubmissionsModule } from '../submissions/submissions.module';
import { BoardService } from './board.service';
import { CrossInstanceStatus } from './cross-instance-status';
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
    WatchService,
    BoardService,
    CrossInstanceStatus,
  ],
})
export class RealtimeModule {}
