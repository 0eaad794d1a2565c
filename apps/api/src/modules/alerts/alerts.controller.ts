import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  acknowledgeAlertSchema,
  resolveAlertSchema,
  silenceAlertSchema,
  type AcknowledgeAlertRequest,
  type AlertSummary,
  type ResolveAlertRequest,
  type SilenceAlertRequest,
  alertSummarySchema,
} from '@vigil/contracts';
import { z } from 'zod';
import { IdPipe } from '../../common/id.pipe';
import { Ctx, type RequestContext } from '../../common/request-context';
import { SessionId } from '../../common/session-id.pipe';
import { ValidBody } from '../../common/valid-body';
import { AlertsService } from './alerts.service';
import { ApiReturns } from '../../common/api-responses';

const alertIdPipe = new IdPipe('alert');

@ApiTags('alerts')
@ApiBearerAuth()
@Controller()
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get('sessions/:id/alerts')
  @ApiReturns(200, z.array(alertSummarySchema))
  list(@Ctx() ctx: RequestContext, @SessionId() id: string): Promise<AlertSummary[]> {
    return this.alerts.list(ctx, id);
  }

  @Post('alerts/:id/acknowledge')
  @ApiReturns(200, alertSummarySchema)
  @HttpCode(200)
  acknowledge(
    @Ctx() ctx: RequestContext,
    @Param('id', alertIdPipe) id: string,
    @ValidBody(acknowledgeAlertSchema, { optional: true }) body: AcknowledgeAlertRequest,
  ): Promise<AlertSummary> {
    return this.alerts.acknowledge(ctx, id, body.note);
  }

  @Post('alerts/:id/resolve')
  @ApiReturns(200, alertSummarySchema)
  @HttpCode(200)
  resolve(
    @Ctx() ctx: RequestContext,
    @Param('id', alertIdPipe) id: string,
    @ValidBody(resolveAlertSchema) body: ResolveAlertRequest,
  ): Promise<AlertSummary> {
    return this.alerts.resolve(ctx, id, body.note);
  }

  @Post('alerts/:id/silence')
  @ApiReturns(200, alertSummarySchema)
  @HttpCode(200)
  silence(
    @Ctx() ctx: RequestContext,
    @Param('id', alertIdPipe) id: string,
    @ValidBody(silenceAlertSchema) body: SilenceAlertRequest,
  ): Promise<AlertSummary> {
    return this.alerts.silence(ctx, id, body.minutes);
  }
}
