import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AlertsModule } from '../alerts/alerts.module';
import { AuditModule } from '../audit/audit.module';
import { SessionsModule } from '../sessions/sessions.module';
import { FhirController } from './fhir.controller';
import { FhirService } from './fhir.service';

/** FHIR R4 export of a session (Bundle of Encounter, Observations, Communications, Tasks, ...). */
@Module({
  imports: [AccountsModule, AlertsModule, AuditModule, SessionsModule],
  controllers: [FhirController],
  providers: [FhirService],
})
export class FhirModule {}
