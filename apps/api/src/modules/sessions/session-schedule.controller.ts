import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import {
  scheduleSessionSchema,
  type ScheduleSessionRequest,
  type SessionSummary,
  sessionSummarySchema,
} from '@vigil/contracts';
import { z } from 'zod';
import { ApiReturns } from '../../common/api-responses';
import { Ctx, type RequestContext } from '../../common/request-context';
import { ZodValidationPipe } from '../../common/zod-validation.pipe';
import { Roles } from '../auth/public.decorator';
import { SessionScheduleService } from './session-schedule.service';

/** `POST /api/admin/sessions` (contract v1: an admin route, served by the sessions module). */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('supervisor')
@Controller('admin')
export class SessionScheduleController {
  constructor(private readonly schedule: SessionScheduleService) {}

  @Post('sessions')
  @ApiReturns(201, sessionSummarySchema)
  @ApiBody({ schema: z.toJSONSchema(scheduleSessionSchema) as object })
  create(
    @Ctx() ctx: RequestContext,
    @Body(new ZodValidationPipe(scheduleSessionSchema)) body: ScheduleSessionRequest,
  ): Promise<SessionSummary> {
    return this.schedule.schedule(ctx, body);
  }
}
