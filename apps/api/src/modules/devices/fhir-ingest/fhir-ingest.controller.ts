import {
  Controller,
  Post,
  Req,
  Res,
  UnsupportedMediaTypeException,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Bundle, Observation } from 'fhir/r4';
import { Public } from '../../auth/public.decorator';
import { DeviceAuthGuard, type DeviceRequest } from './device-auth.guard';
import { fhirBundleAdmissionClass, fhirObservationAdmissionClass } from './fhir-admission';
import { FhirExceptionFilter } from './fhir-exception.filter';
import { FhirIngestService } from './fhir-ingest.service';
import { ApiReturns, PostOk } from '../../../common/api-responses';
import { Admit, AdmissionGuard } from '../../submissions/admission.guard';
import { DevicePrincipal } from '../../rate-limit/rest-limits';
import { RestThrottlerGuard } from '../../rate-limit/rest-throttler.guard';
import {
  fhirBundleSchema,
  fhirObservationSchema,
  fhirOperationOutcomeSchema,
} from '@vigil/contracts';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const FHIR = { contentType: 'application/fhir+json', error: fhirOperationOutcomeSchema };

function input(req: DeviceRequest) {
  if (!req.is(['application/fhir+json', 'application/json']))
    throw new UnsupportedMediaTypeException(
      'Content-Type: must be application/fhir+json (or application/json)',
    );
  return {
    device: req.device!,
    origin: { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null },
  };
}

/**
 * FHIR R4 ingest for paired devices (contract v1.2), authenticated by the device credential.
 * Admission control comes first, as on the other submission routes: past capacity a device is
 * answered busy (OperationOutcome `transient`, Retry-After) before its credential is checked or
 * its body mapped, so a refusal costs next to nothing; a post holding an alert-worthy reading is
 * never refused (fhir-admission.ts). Then the device's own rate limit (429, Retry-After), which
 * an alert-worthy post does not escape: admission protects capacity, the limit bounds a device.
 */
@ApiTags('fhir-ingest')
@ApiBearerAuth()
@Public()
@DevicePrincipal()
@UseGuards(AdmissionGuard, DeviceAuthGuard, RestThrottlerGuard)
@UseFilters(FhirExceptionFilter)
@Controller('fhir')
export class FhirIngestController {
  constructor(private readonly ingest: FhirIngestService) {}

  /** 201 with the stored Observation and its id; 200 for a retry of the same identifier. */
  @Post('Observation')
  @Admit(fhirObservationAdmissionClass)
  @ApiReturns([200, 201], fhirObservationSchema, FHIR)
  async observation(
    @Req() req: DeviceRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Observation> {
    const { device, origin } = input(req);
    const result = await this.ingest.observation(device, req.body, origin);
    res.status(result.status).type(FHIR_JSON).location(`Observation/${result.resource.id}`);
    return result.resource;
  }

  /** A batch or transaction Bundle of Observations: 200 with the response Bundle. */
  @Admit(fhirBundleAdmissionClass)
  @PostOk(undefined, fhirBundleSchema, FHIR)
  async bundle(
    @Req() req: DeviceRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Bundle> {
    const { device, origin } = input(req);
    const result = await this.ingest.bundle(device, req.body, origin);
    res.type(FHIR_JSON);
    return result;
  }
}
