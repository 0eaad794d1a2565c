import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { PresenceService } from './presence.service';

/** Device presence from heartbeats, and the sweep that finds silent devices. */
@Module({
  imports: [EventsModule],
  providers: [PresenceService],
  exports: [PresenceService],
})
export class PresenceModule {}
