import { BadRequestException, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  assignSchema,
  createClinicianSchema,
  createPatientSchema,
  type AccountResponse,
  type AssignRequest,
  type AssignmentResponse,
  type CreateClinicianRequest,
  type CreatePatientRequest,
  accountResponseSchema,
  assignmentResponseSchema,
  clearedLockoutsSchema,
} from '@vigil/contracts';
import { z } from 'zod';
import { ApiReturns, PostOk } from '../../common/api-responses';
import { Ctx, type RequestContext } from '../../common/request-context';
import { ValidBody } from '../../common/valid-body';
import { AdminController } from '../auth/public.decorator';
import { AccountsService } from './accounts.service';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new BadRequestException('id: must be a UUID'),
});

@AdminController()
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('staff')
  @ApiReturns(201, accountResponseSchema)
  createStaff(
    @Ctx() ctx: RequestContext,
    @ValidBody(createClinicianSchema) body: CreateClinicianRequest,
  ): Promise<AccountResponse> {
    return this.accounts.createStaff(ctx, body);
  }

  @Post('patients')
  @ApiReturns(201, accountResponseSchema)
  createPatient(
    @Ctx() ctx: RequestContext,
    @ValidBody(createPatientSchema) body: CreatePatientRequest,
  ): Promise<AccountResponse> {
    return this.accounts.createPatient(ctx, body);
  }

  @Get('assignments')
  @ApiReturns(200, z.array(assignmentResponseSchema))
  listAssignments(@Ctx() ctx: RequestContext): Promise<AssignmentResponse[]> {
    return this.accounts.listAssignments(ctx);
  }

  @Post('assignments')
  @ApiReturns(201, assignmentResponseSchema)
  assign(
    @Ctx() ctx: RequestContext,
    @ValidBody(assignSchema) body: AssignRequest,
  ): Promise<AssignmentResponse> {
    return this.accounts.assign(ctx, body);
  }

  @Post('assignments/:id/end')
  @ApiReturns(201, assignmentResponseSchema)
  endAssignment(
    @Ctx() ctx: RequestContext,
    @Param('id', uuid) id: string,
  ): Promise<AssignmentResponse> {
    return this.accounts.endAssignment(ctx, id);
  }

  @Post('accounts/:id/deactivate')
  @ApiReturns(201, accountResponseSchema)
  deactivate(@Ctx() ctx: RequestContext, @Param('id', uuid) id: string): Promise<AccountResponse> {
    return this.accounts.deactivate(ctx, id);
  }

  @PostOk('accounts/:id/login-lockouts/clear', clearedLockoutsSchema)
  clearLoginLockouts(
    @Ctx() ctx: RequestContext,
    @Param('id', uuid) id: string,
  ): Promise<{ cleared: number }> {
    return this.accounts.clearLoginLockouts(ctx, id);
  }
}
