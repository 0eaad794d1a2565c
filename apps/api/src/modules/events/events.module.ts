import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MetricsModule } from '../metrics/metrics.module';
import { Admission } from './admission';
import { EventStore } from './event-store';
import { SessionEventBus } from './session-event-bus';
import { SubmissionQueue } from './submission-queue';

@Module({
  imports: [AuditModule, MetricsModule],
  providers: [EventStore, SessionEventBus, SubmissionQueue, Admission],
  exports: [EventStore, SessionEventBus, SubmissionQueue, Admission],
})
export class EventsModule {}
