import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
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
import { z } from 'zod';
import { IdPipe } from '../../common/id.pipe';
import { Ctx, type RequestContext } from '../../common/request-context';
import { ZodValidationPipe } from '../../common/zod-validation.pipe';
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
  @ApiBody({ schema: z.toJSONSchema(setOverrideSchema) as object })
  set(
    @Ctx() ctx: RequestContext,
    @Param('patientId', patientIdPipe) id: string,
    @Param('setting') setting: string,
    @Body(new ZodValidationPipe(setOverrideSchema)) body: SetOverrideRequest,
  ): Promise<OverrideSetting> {
    return this.overrides.set(ctx, id, setting, body);
  }

  @Delete(':setting')
  @ApiReturns(200, overrideSettingSchema)
  @ApiBody({ schema: z.toJSONSchema(clearOverrideSchema) as object })
  clear(
    @Ctx() ctx: RequestContext,
    @Param('patientId', patientIdPipe) id: string,
    @Param('setting') setting: string,
    @Body(new ZodValidationPipe(clearOverrideSchema)) body: ClearOverrideRequest,
  ): Promise<OverrideSetting> {
    return this.overrides.clear(ctx, id, setting, body.reason);
  }
}
