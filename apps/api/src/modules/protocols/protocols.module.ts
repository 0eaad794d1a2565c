import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { SessionsModule } from '../sessions/sessions.module';
import { OverridesController } from './overrides.controller';
import { OverridesService } from './overrides.service';
import { ProtocolsService } from './protocols.service';

/** Protocol versions, and the per-patient overrides of their bounded settings. */
@Module({
  imports: [AuditModule, EventsModule, SessionsModule],
  controllers: [OverridesController],
  providers: [ProtocolsService, OverridesService],
  exports: [ProtocolsService],
})
export class ProtocolsModule {}
