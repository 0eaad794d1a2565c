import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { FhirController } from './fhir.controller';
import { FhirService } from './fhir.service';

/** FHIR R4 export of a session (Bundle of Encounter, Observations, Communications, Tasks, ...). */
@Module({
  imports: [AlertsModule, SessionsModule, UsersModule],
  controllers: [FhirController],
  providers: [FhirService],
})
export class FhirModule {}
