import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module';
import { PresenceModule } from '../presence/presence.module';
import { SubmissionsModule } from '../submissions/submissions.module';
import { BoardService } from './board.service';
import { LiveEmitter } from './live-emitter';
import { LiveFanoutListener } from './live-fanout.listener';
import { LiveRevocationListener } from './live-revocation.listener';
import { LiveGateway } from './live.gateway';
import { WatchService } from './watch.service';

@Module({
  imports: [DevicesModule, PresenceModule, SubmissionsModule],
  providers: [
    LiveGateway,
    LiveEmitter,
    LiveFanoutListener,
    LiveRevocationListener,
    WatchService,
    BoardService,
  ],
})
export class RealtimeModule {}
