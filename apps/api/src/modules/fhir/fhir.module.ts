import { Module } from '@nestjs/common';
import { FhirController } from './fhir.controller';
import { FhirService } from './fhir.service';

/** FHIR R4 export of a session (Bundle of Encounter, Observations, Communications, Tasks, ...). */
@Module({ controllers: [FhirController], providers: [FhirService] })
export class FhirModule {}
