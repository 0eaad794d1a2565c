import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
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
import { SessionIdPipe } from '../../common/session-id.pipe';
import { ZodValidationPipe } from '../../common/zod-validation.pipe';
import { AlertsService } from './alerts.service';
import { ApiReturns } from '../../common/api-responses';

const alertIdPipe = new IdPipe('alert');

/** An absent body on acknowledge is an empty one. */
class OptionalBodyPipe extends ZodValidationPipe<typeof acknowledgeAlertSchema> {
  override transform(value: unknown): AcknowledgeAlertRequest {
    const empty =
      value === undefined ||
      value === null ||
      (typeof value === 'object' && Object.keys(value).length === 0);
    return empty ? {} : super.transform(value);
  }
}

@ApiTags('alerts')
@ApiBearerAuth()
@Controller()
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get('sessions/:id/alerts')
  @ApiReturns(200, z.array(alertSummarySchema))
  list(
    @Ctx() ctx: RequestContext,
    @Param('id', SessionIdPipe) id: string,
  ): Promise<AlertSummary[]> {
    return this.alerts.list(ctx, id);
  }

  @Post('alerts/:id/acknowledge')
  @ApiReturns(200, alertSummarySchema)
  @HttpCode(200)
  @ApiBody({ schema: z.toJSONSchema(acknowledgeAlertSchema) as object, required: false })
  acknowledge(
    @Ctx() ctx: RequestContext,
    @Param('id', alertIdPipe) id: string,
    @Body(new OptionalBodyPipe(acknowledgeAlertSchema)) body: AcknowledgeAlertRequest,
  ): Promise<AlertSummary> {
    return this.alerts.acknowledge(ctx, id, body.note);
  }

  @Post('alerts/:id/resolve')
  @ApiReturns(200, alertSummarySchema)
  @HttpCode(200)
  @ApiBody({ schema: z.toJSONSchema(resolveAlertSchema) as object })
  resolve(
    @Ctx() ctx: RequestContext,
    @Param('id', alertIdPipe) id: string,
    @Body(new ZodValidationPipe(resolveAlertSchema)) body: ResolveAlertRequest,
  ): Promise<AlertSummary> {
    return this.alerts.resolve(ctx, id, body.note);
  }

  @Post('alerts/:id/silence')
  @ApiReturns(200, alertSummarySchema)
  @HttpCode(200)
  @ApiBody({ schema: z.toJSONSchema(silenceAlertSchema) as object })
  silence(
    @Ctx() ctx: RequestContext,
    @Param('id', alertIdPipe) id: string,
    @Body(new ZodValidationPipe(silenceAlertSchema)) body: SilenceAlertRequest,
  ): Promise<AlertSummary> {
    return this.alerts.silence(ctx, id, body.minutes);
  }
}
