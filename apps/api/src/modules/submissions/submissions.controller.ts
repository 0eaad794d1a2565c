import { Body, Controller, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  checkInSubmissionSchema,
  helpSubmissionSchema,
  messageSubmissionSchema,
  noteSubmissionSchema,
  vitalsSubmissionSchema,
  type CheckInSubmission,
  type HelpSubmission,
  type MessageSubmission,
  type NoteSubmission,
  type SubmissionResult,
  type VitalsSubmission,
  submissionResultSchema,
} from '@vigil/contracts';
import { z } from 'zod';
import { Ctx, type RequestContext } from '../../common/request-context';
import { SessionIdPipe } from '../../common/session-id.pipe';
import { ZodValidationPipe } from '../../common/zod-validation.pipe';
import { SubmissionsService } from './submissions.service';
import { ApiReturns } from '../../common/api-responses';
import { Admit, AdmissionGuard } from './admission.guard';

/** 201 for a new submission, 200 for a recognised retry (a refusal is the service's exception). */
function reply(res: Response, result: SubmissionResult): SubmissionResult {
  res.status(result.duplicate ? 200 : 201);
  return result;
}

@ApiTags('submissions')
@ApiBearerAuth()
@Controller('sessions/:id')
@UseGuards(AdmissionGuard)
export class SubmissionsController {
  constructor(private readonly submissions: SubmissionsService) {}

  @Post('check-ins')
  @Admit('priority')
  @ApiReturns([200, 201], submissionResultSchema)
  @ApiBody({ schema: z.toJSONSchema(checkInSubmissionSchema) as object })
  async checkIn(
    @Ctx() ctx: RequestContext,
    @Param('id', SessionIdPipe) id: string,
    @Body(new ZodValidationPipe(checkInSubmissionSchema)) body: CheckInSubmission,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SubmissionResult> {
    return reply(res, await this.submissions.checkIn(ctx, id, body));
  }

  @Post('vitals')
  @Admit('routine')
  @ApiReturns([200, 201], submissionResultSchema)
  @ApiBody({ schema: z.toJSONSchema(vitalsSubmissionSchema) as object })
  async vitals(
    @Ctx() ctx: RequestContext,
    @Param('id', SessionIdPipe) id: string,
    @Body(new ZodValidationPipe(vitalsSubmissionSchema)) body: VitalsSubmission,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SubmissionResult> {
    return reply(res, await this.submissions.vitals(ctx, id, body));
  }

  @Post('notes')
  @Admit('priority')
  @ApiReturns([200, 201], submissionResultSchema)
  @ApiBody({ schema: z.toJSONSchema(noteSubmissionSchema) as object })
  async note(
    @Ctx() ctx: RequestContext,
    @Param('id', SessionIdPipe) id: string,
    @Body(new ZodValidationPipe(noteSubmissionSchema)) body: NoteSubmission,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SubmissionResult> {
    return reply(res, await this.submissions.note(ctx, id, body));
  }

  @Post('messages')
  @Admit('priority')
  @ApiReturns([200, 201], submissionResultSchema)
  @ApiBody({ schema: z.toJSONSchema(messageSubmissionSchema) as object })
  async message(
    @Ctx() ctx: RequestContext,
    @Param('id', SessionIdPipe) id: string,
    @Body(new ZodValidationPipe(messageSubmissionSchema)) body: MessageSubmission,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SubmissionResult> {
    return reply(res, await this.submissions.message(ctx, id, body));
  }

  @Post('help')
  @Admit('help')
  @ApiReturns([200, 201], submissionResultSchema)
  @ApiBody({ schema: z.toJSONSchema(helpSubmissionSchema) as object })
  async help(
    @Ctx() ctx: RequestContext,
    @Param('id', SessionIdPipe) id: string,
    @Body(new ZodValidationPipe(helpSubmissionSchema)) body: HelpSubmission,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SubmissionResult> {
    return reply(res, await this.submissions.help(ctx, id, body));
  }
}
