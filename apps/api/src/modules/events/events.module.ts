import { Global, Module } from '@nestjs/common';
import { EventStore } from './event-store';
import { SessionEventBus } from './session-event-bus';
import { SubmissionQueue } from './submission-queue';

@Global()
@Module({
  providers: [EventStore, SessionEventBus, SubmissionQueue],
  exports: [EventStore, SessionEventBus, SubmissionQueue],
})
export class EventsModule {}
