import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  auditLogQuerySchema,
  type AuditLogEntry,
  type AuditLogFilters,
  type AuditVerifyResult,
  type Page,
  auditLogPageSchema,
  auditVerifyResultSchema,
} from '@vigil/contracts';
import { Ctx, type RequestContext } from '../../common/request-context';
import { ZodValidationPipe } from '../../common/zod-validation.pipe';
import { AuditLogService } from './audit-log.service';
import { SupervisorOnlyGuard } from './supervisor-only.guard';
import { ApiReturns } from '../../common/api-responses';

@ApiTags('audit')
@ApiBearerAuth()
@UseGuards(SupervisorOnlyGuard)
@Controller('audit')
export class AuditController {
  constructor(private readonly log: AuditLogService) {}

  @Get('events')
  @ApiReturns(200, auditLogPageSchema)
  @ApiQuery({ name: 'actorId', required: false })
  @ApiQuery({ name: 'patientId', required: false })
  @ApiQuery({ name: 'action', required: false, description: 'exact, or a prefix ending in *' })
  @ApiQuery({ name: 'outcome', required: false, enum: ['success', 'denied', 'error'] })
  @ApiQuery({
    name: 'view',
    required: false,
    enum: ['clinical', 'access', 'submissions'],
    description:
      'clinical actions, access (sign-ins, sockets, reads, refusals), or vitals submissions',
  })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'pageSize', required: false })
  events(
    @Ctx() ctx: RequestContext,
    @Query(new ZodValidationPipe(auditLogQuerySchema)) query: AuditLogFilters,
  ): Promise<Page<AuditLogEntry>> {
    return this.log.list(ctx, query);
  }

  @Get('verify')
  @ApiReturns(200, auditVerifyResultSchema)
  verify(@Ctx() ctx: RequestContext): Promise<AuditVerifyResult> {
    return this.log.verify(ctx);
  }
}
