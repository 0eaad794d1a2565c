import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module';
import { PresenceService } from '../presence/presence.service';
import { BoardService } from './board.service';
import { LiveEmitter } from './live-emitter';
import { LiveFanoutListener } from './live-fanout.listener';
import { LiveRevocationListener } from './live-revocation.listener';
import { LiveGateway } from './live.gateway';
import { WatchService } from './watch.service';

@Module({
  imports: [DevicesModule],
  providers: [
    LiveGateway,
    LiveEmitter,
    LiveFanoutListener,
    LiveRevocationListener,
    WatchService,
    BoardService,
    PresenceService,
  ],
})
export class RealtimeModule {}
