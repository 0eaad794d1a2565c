import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { DeviceAuthService } from './device-auth.service';
import { DeviceEvents } from './device-events';
import { DeviceLiveService } from './device-live.service';
import { DeviceReadingsService } from './device-readings.service';
import { DevicesController } from './devices.controller';
import { DevicesService } from './devices.service';
import { DeviceAuthGuard } from './fhir-ingest/device-auth.guard';
import { FhirIngestController } from './fhir-ingest/fhir-ingest.controller';
import { FhirIngestService } from './fhir-ingest/fhir-ingest.service';

/** Devices paired with a patient: pairing, credentials, and their path for readings. */
@Module({
  imports: [AuditModule, EventsModule, RateLimitModule],
  controllers: [DevicesController, FhirIngestController],
  providers: [
    DevicesService,
    DeviceEvents,
    DeviceAuthService,
    DeviceAuthGuard,
    DeviceReadingsService,
    DeviceLiveService,
    FhirIngestService,
  ],
  exports: [DeviceEvents, DeviceLiveService],
})
export class DevicesModule {}
