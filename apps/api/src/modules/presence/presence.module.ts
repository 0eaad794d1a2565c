import { Module } from '@nestjs/common';
import { PresenceService } from './presence.service';

/** Device presence from heartbeats, and the sweep that finds silent devices. */
@Module({ providers: [PresenceService], exports: [PresenceService] })
export class PresenceModule {}
