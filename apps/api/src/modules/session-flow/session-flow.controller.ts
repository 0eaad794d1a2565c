import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  doseSubmissionSchema,
  overrideSubmissionSchema,
  screeningSubmissionSchema,
  transitionSubmissionSchema,
  type DoseSubmission,
  type OverrideSubmission,
  type ScreeningSubmission,
  type SessionFlowResult,
  type TransitionSubmission,
  screeningResultSchema,
  sessionFlowResultSchema,
} from '@vigil/contracts';
import { z } from 'zod';
import { Ctx, type RequestContext } from '../../common/request-context';
import { SessionIdPipe } from '../../common/session-id.pipe';
import { ZodValidationPipe } from '../../common/zod-validation.pipe';
import { SessionFlowService } from './session-flow.service';
import { ApiReturns } from '../../common/api-responses';

/** 201 for a new action, 200 for a recognised retry (same clientId, same body). */
function reply<T extends SessionFlowResult>(res: Response, result: T): T {
  res.status(result.duplicate ? 200 : 201);
  return result;
}

@ApiTags('session flow')
@ApiBearerAuth()
@Controller('sessions/:id')
export class SessionFlowController {
  constructor(private readonly flow: SessionFlowService) {}

  @Post('screening')
  @ApiReturns([200, 201], screeningResultSchema)
  @ApiBody({ schema: z.toJSONSchema(screeningSubmissionSchema) as object })
  async screening(
    @Ctx() ctx: RequestContext,
    @Param('id', SessionIdPipe) id: string,
    @Body(new ZodValidationPipe(screeningSubmissionSchema)) body: ScreeningSubmission,
    @Res({ passthrough: true }) res: Response,
  ) {
    return reply(res, await this.flow.screening(ctx, id, body));
  }

  @Post('dose')
  @ApiReturns([200, 201], sessionFlowResultSchema)
  @ApiBody({ schema: z.toJSONSchema(doseSubmissionSchema) as object })
  async dose(
    @Ctx() ctx: RequestContext,
    @Param('id', SessionIdPipe) id: string,
    @Body(new ZodValidationPipe(doseSubmissionSchema)) body: DoseSubmission,
    @Res({ passthrough: true }) res: Response,
  ) {
    return reply(res, await this.flow.dose(ctx, id, body));
  }

  @Post('override')
  @ApiReturns([200, 201], sessionFlowResultSchema)
  @ApiBody({ schema: z.toJSONSchema(overrideSubmissionSchema) as object })
  async override(
    @Ctx() ctx: RequestContext,
    @Param('id', SessionIdPipe) id: string,
    @Body(new ZodValidationPipe(overrideSubmissionSchema)) body: OverrideSubmission,
    @Res({ passthrough: true }) res: Response,
  ) {
    return reply(res, await this.flow.override(ctx, id, body));
  }

  @Post('transition')
  @ApiReturns([200, 201], sessionFlowResultSchema)
  @ApiBody({ schema: z.toJSONSchema(transitionSubmissionSchema) as object })
  async transition(
    @Ctx() ctx: RequestContext,
    @Param('id', SessionIdPipe) id: string,
    @Body(new ZodValidationPipe(transitionSubmissionSchema)) body: TransitionSubmission,
    @Res({ passthrough: true }) res: Response,
  ) {
    return reply(res, await this.flow.transition(ctx, id, body));
  }
}
