import { Controller, Get, Header } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Bundle } from 'fhir/r4';
import { Ctx, type RequestContext } from '../../common/request-context';
import { SessionId } from '../../common/session-id.pipe';
import { FhirService } from './fhir.service';
import { ApiReturns } from '../../common/api-responses';
import { fhirBundleSchema } from '@vigil/contracts';

@ApiTags('fhir')
@ApiBearerAuth()
@Controller('sessions')
export class FhirController {
  constructor(private readonly fhir: FhirService) {}

  /** The whole session as a FHIR R4 Bundle; 404 when the caller may not see the session. */
  @Get(':id/fhir')
  @ApiReturns(200, fhirBundleSchema, { contentType: 'application/fhir+json' })
  @Header('content-type', 'application/fhir+json; charset=utf-8')
  bundle(@Ctx() ctx: RequestContext, @SessionId() id: string): Promise<Bundle> {
    return this.fhir.exportSession(ctx, id);
  }
}
