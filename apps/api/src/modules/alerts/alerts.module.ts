import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { ProtocolsModule } from '../protocols/protocols.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AlertEngineService } from './alert-engine.service';
import { AlertProcessor } from './alert-processor';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';
import { ClinicalWatchdogService } from './clinical-watchdog.service';

/** The alert engine (event-driven and time-driven) and the clinician actions on alerts. */
@Module({
  imports: [AuditModule, EventsModule, ProtocolsModule, SessionsModule],
  controllers: [AlertsController],
  providers: [AlertProcessor, AlertEngineService, ClinicalWatchdogService, AlertsService],
  exports: [AlertEngineService, ClinicalWatchdogService, AlertsService],
})
export class AlertsModule {}
