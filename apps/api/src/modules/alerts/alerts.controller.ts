import { Controller, Get, Param } from '@nestjs/common';
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
import { ApiReturns, PostOk } from '../../common/api-responses';

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

  @PostOk('alerts/:id/acknowledge', alertSummarySchema)
  acknowledge(
    @Ctx() ctx: RequestContext,
    @Param('id', alertIdPipe) id: string,
    @ValidBody(acknowledgeAlertSchema, { optional: true }) body: AcknowledgeAlertRequest,
  ): Promise<AlertSummary> {
    return this.alerts.acknowledge(ctx, id, body.note);
  }

  @PostOk('alerts/:id/resolve', alertSummarySchema)
  resolve(
    @Ctx() ctx: RequestContext,
    @Param('id', alertIdPipe) id: string,
    @ValidBody(resolveAlertSchema) body: ResolveAlertRequest,
  ): Promise<AlertSummary> {
    return this.alerts.resolve(ctx, id, body.note);
  }

  @PostOk('alerts/:id/silence', alertSummarySchema)
  silence(
    @Ctx() ctx: RequestContext,
    @Param('id', alertIdPipe) id: string,
    @ValidBody(silenceAlertSchema) body: SilenceAlertRequest,
  ): Promise<AlertSummary> {
    return this.alerts.silence(ctx, id, body.minutes);
  }
}
