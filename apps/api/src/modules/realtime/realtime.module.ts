import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module';
import { PresenceService } from '../presence/presence.service';
import { BoardService } from './board.service';
import { LiveGateway } from './live.gateway';
import { WatchService } from './watch.service';

@Module({
  imports: [DevicesModule],
  providers: [LiveGateway, WatchService, BoardService, PresenceService],
})
export class RealtimeModule {}
