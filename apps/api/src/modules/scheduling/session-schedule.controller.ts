import { Post } from '@nestjs/common';
import {
  scheduleSessionSchema,
  type ScheduleSessionRequest,
  type SessionSummary,
  sessionSummarySchema,
} from '@vigil/contracts';
import { ApiReturns } from '../../common/api-responses';
import { Ctx, type RequestContext } from '../../common/request-context';
import { ValidBody } from '../../common/valid-body';
import { AdminController } from '../auth/public.decorator';
import { SessionScheduleService } from './session-schedule.service';

/** `POST /api/admin/sessions` (contract v1: an admin route, served by the sessions module). */
@AdminController()
export class SessionScheduleController {
  constructor(private readonly schedule: SessionScheduleService) {}

  @Post('sessions')
  @ApiReturns(201, sessionSummarySchema)
  create(
    @Ctx() ctx: RequestContext,
    @ValidBody(scheduleSessionSchema) body: ScheduleSessionRequest,
  ): Promise<SessionSummary> {
    return this.schedule.schedule(ctx, body);
  }
}
