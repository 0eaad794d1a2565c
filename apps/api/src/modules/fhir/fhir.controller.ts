import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Bundle } from 'fhir/r4';
import { Ctx, type RequestContext } from '../../common/request-context';
import { SessionIdPipe } from '../../common/session-id.pipe';
import { FhirService } from './fhir.service';

@ApiTags('fhir')
@ApiBearerAuth()
@Controller('sessions')
export class FhirController {
  constructor(private readonly fhir: FhirService) {}

  /** The whole session as a FHIR R4 Bundle; 404 when the caller may not see the session. */
  @Get(':id/fhir')
  @Header('content-type', 'application/fhir+json; charset=utf-8')
  bundle(@Ctx() ctx: RequestContext, @Param('id', SessionIdPipe) id: string): Promise<Bundle> {
    return this.fhir.exportSession(ctx, id);
  }
}
