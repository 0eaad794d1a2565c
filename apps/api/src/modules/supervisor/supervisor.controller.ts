import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  alertFiguresQuerySchema,
  reportQuerySchema,
  sessionHistoryQuerySchema,
  type AccountWithHistory,
  type AlertFigures,
  type AlertFiguresFilters,
  type Page,
  type RemsReport,
  type SessionHistoryFilters,
  type SessionHistoryItem,
  accountWithHistorySchema,
  alertFiguresSchema,
  remsReportSchema,
  sessionHistoryPageSchema,
} from '@vigil/contracts';
import { Ctx, type RequestContext } from '../../common/request-context';
import { SessionId } from '../../common/session-id.pipe';
import { ZodValidationPipe } from '../../common/zod-validation.pipe';
import { SupervisorOnlyGuard } from '../audit/supervisor-only.guard';
import { SupervisorService } from './supervisor.service';
import { ApiReturns } from '../../common/api-responses';
import { z } from 'zod';

@ApiTags('supervisor')
@ApiBearerAuth()
@UseGuards(SupervisorOnlyGuard)
@Controller('supervisor')
export class SupervisorController {
  constructor(private readonly supervisor: SupervisorService) {}

  @Get('sessions')
  @ApiReturns(200, sessionHistoryPageSchema)
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'clinicianId', required: false })
  @ApiQuery({ name: 'patientId', required: false })
  @ApiQuery({ name: 'state', required: false, description: '`live` or comma-separated states' })
  @ApiQuery({ name: 'outcome', required: false, enum: ['signed_off', 'aborted', 'in_progress'] })
  @ApiQuery({ name: 'alertPriority', required: false, enum: ['high', 'medium', 'low', 'info'] })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'pageSize', required: false })
  history(
    @Ctx() ctx: RequestContext,
    @Query(new ZodValidationPipe(sessionHistoryQuerySchema)) query: SessionHistoryFilters,
  ): Promise<Page<SessionHistoryItem>> {
    return this.supervisor.history(ctx, query);
  }

  @Get('alert-figures')
  @ApiReturns(200, alertFiguresSchema)
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  figures(
    @Ctx() ctx: RequestContext,
    @Query(new ZodValidationPipe(alertFiguresQuerySchema)) query: AlertFiguresFilters,
  ): Promise<AlertFigures> {
    return this.supervisor.figures(ctx, query);
  }

  @Get('accounts')
  @ApiReturns(200, z.array(accountWithHistorySchema))
  accounts(@Ctx() ctx: RequestContext): Promise<AccountWithHistory[]> {
    return this.supervisor.accounts(ctx);
  }

  @Get('sessions/:id/report')
  @ApiReturns(200, remsReportSchema, { csv: true })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  async report(
    @Ctx() ctx: RequestContext,
    @SessionId() id: string,
    @Query(new ZodValidationPipe(reportQuerySchema)) query: { format?: 'json' | 'csv' },
    @Res({ passthrough: true }) res: Response,
  ): Promise<RemsReport | string> {
    const format = query.format ?? 'json';
    const body = await this.supervisor.report(ctx, id, format);
    if (format === 'csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="session-${id}-rems.csv"`);
    }
    return body;
  }
}
