import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import {
  assignSchema,
  createClinicianSchema,
  createPatientSchema,
  scheduleSessionSchema,
  type AccountResponse,
  type AssignRequest,
  type AssignmentResponse,
  type CreateClinicianRequest,
  type CreatePatientRequest,
  type ScheduleSessionRequest,
  type SessionSummary,
  accountResponseSchema,
  assignmentResponseSchema,
  clearedLockoutsSchema,
  sessionSummarySchema,
} from '@vigil/contracts';
import { z } from 'zod';
import { Ctx, type RequestContext } from '../../common/request-context';
import { ZodValidationPipe } from '../../common/zod-validation.pipe';
import { Roles } from '../auth/public.decorator';
import { AdminService } from './admin.service';
import { ApiReturns } from '../../common/api-responses';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new BadRequestException('id: must be a UUID'),
});

@ApiTags('admin')
@ApiBearerAuth()
@Roles('supervisor')
@Controller('admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Post('staff')
  @ApiReturns(201, accountResponseSchema)
  @ApiBody({ schema: z.toJSONSchema(createClinicianSchema, { io: 'input' }) as object })
  createStaff(
    @Ctx() ctx: RequestContext,
    @Body(new ZodValidationPipe(createClinicianSchema)) body: CreateClinicianRequest,
  ): Promise<AccountResponse> {
    return this.admin.createStaff(ctx, body);
  }

  @Post('patients')
  @ApiReturns(201, accountResponseSchema)
  @ApiBody({ schema: z.toJSONSchema(createPatientSchema) as object })
  createPatient(
    @Ctx() ctx: RequestContext,
    @Body(new ZodValidationPipe(createPatientSchema)) body: CreatePatientRequest,
  ): Promise<AccountResponse> {
    return this.admin.createPatient(ctx, body);
  }

  @Get('assignments')
  @ApiReturns(200, z.array(assignmentResponseSchema))
  listAssignments(@Ctx() ctx: RequestContext): Promise<AssignmentResponse[]> {
    return this.admin.listAssignments(ctx);
  }

  @Post('assignments')
  @ApiReturns(201, assignmentResponseSchema)
  @ApiBody({ schema: z.toJSONSchema(assignSchema) as object })
  assign(
    @Ctx() ctx: RequestContext,
    @Body(new ZodValidationPipe(assignSchema)) body: AssignRequest,
  ): Promise<AssignmentResponse> {
    return this.admin.assign(ctx, body);
  }

  @Post('assignments/:id/end')
  @ApiReturns(201, assignmentResponseSchema)
  endAssignment(
    @Ctx() ctx: RequestContext,
    @Param('id', uuid) id: string,
  ): Promise<AssignmentResponse> {
    return this.admin.endAssignment(ctx, id);
  }

  @Post('accounts/:id/deactivate')
  @ApiReturns(201, accountResponseSchema)
  deactivate(@Ctx() ctx: RequestContext, @Param('id', uuid) id: string): Promise<AccountResponse> {
    return this.admin.deactivate(ctx, id);
  }

  @Post('accounts/:id/login-lockouts/clear')
  @ApiReturns(200, clearedLockoutsSchema)
  @HttpCode(200)
  clearLoginLockouts(
    @Ctx() ctx: RequestContext,
    @Param('id', uuid) id: string,
  ): Promise<{ cleared: number }> {
    return this.admin.clearLoginLockouts(ctx, id);
  }

  @Post('sessions')
  @ApiReturns(201, sessionSummarySchema)
  @ApiBody({ schema: z.toJSONSchema(scheduleSessionSchema) as object })
  schedule(
    @Ctx() ctx: RequestContext,
    @Body(new ZodValidationPipe(scheduleSessionSchema)) body: ScheduleSessionRequest,
  ): Promise<SessionSummary> {
    return this.admin.schedule(ctx, body);
  }
}
