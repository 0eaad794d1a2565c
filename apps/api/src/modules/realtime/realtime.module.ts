import { Module } from '@nestjs/common';
import { PresenceService } from '../presence/presence.service';
import { BoardService } from './board.service';
import { LiveGateway } from './live.gateway';
import { WatchService } from './watch.service';

@Module({ providers: [LiveGateway, WatchService, BoardService, PresenceService] })
export class RealtimeModule {}
