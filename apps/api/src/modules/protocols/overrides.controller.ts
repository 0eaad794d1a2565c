import { Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  clearOverrideSchema,
  setOverrideSchema,
  type ClearOverrideRequest,
  type OverrideSetting,
  type PatientOverrides,
  type SetOverrideRequest,
  overrideSettingSchema,
  patientOverridesSchema,
} from '@vigil/contracts';
import { IdPipe } from '../../common/id.pipe';
import { Ctx, type RequestContext } from '../../common/request-context';
import { ValidBody } from '../../common/valid-body';
import { OverridesService } from './overrides.service';
import { ApiReturns } from '../../common/api-responses';

const patientIdPipe = new IdPipe('patient');

/** Per-patient protocol overrides (contract v1.1, docs/API.md). */
@ApiTags('protocol overrides')
@ApiBearerAuth()
@Controller('patients/:patientId/overrides')
export class OverridesController {
  constructor(private readonly overrides: OverridesService) {}

  @Get()
  @ApiReturns(200, patientOverridesSchema)
  list(
    @Ctx() ctx: RequestContext,
    @Param('patientId', patientIdPipe) id: string,
  ): Promise<PatientOverrides> {
    return this.overrides.list(ctx, id);
  }

  @Put(':setting')
  @ApiReturns(200, overrideSettingSchema)
  set(
    @Ctx() ctx: RequestContext,
    @Param('patientId', patientIdPipe) id: string,
    @Param('setting') setting: string,
    @ValidBody(setOverrideSchema) body: SetOverrideRequest,
  ): Promise<OverrideSetting> {
    return this.overrides.set(ctx, id, setting, body);
  }

  @Delete(':setting')
  @ApiReturns(200, overrideSettingSchema)
  clear(
    @Ctx() ctx: RequestContext,
    @Param('patientId', patientIdPipe) id: string,
    @Param('setting') setting: string,
    @ValidBody(clearOverrideSchema) body: ClearOverrideRequest,
  ): Promise<OverrideSetting> {
    return this.overrides.clear(ctx, id, setting, body.reason);
  }
}
