import { Controller, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
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
import { Ctx, type RequestContext } from '../../common/request-context';
import { SessionId } from '../../common/session-id.pipe';
import { ValidBody } from '../../common/valid-body';
import { SubmissionsService } from './submissions.service';
import { IdempotentPost } from '../../common/api-responses';
import { Admit, AdmissionGuard } from './admission.guard';
import { vitalsAdmissionClass } from '../events/vitals-admission';
import { HelpBudget } from '../rate-limit/rest-limits';

/** 201 for a new submission, 200 for a recognised retry (a refusal is the service's exception). */
@ApiTags('submissions')
@ApiBearerAuth()
@Controller('sessions/:id')
@UseGuards(AdmissionGuard)
export class SubmissionsController {
  constructor(private readonly submissions: SubmissionsService) {}

  @IdempotentPost('check-ins', submissionResultSchema)
  @Admit('priority')
  checkIn(
    @Ctx() ctx: RequestContext,
    @SessionId() id: string,
    @ValidBody(checkInSubmissionSchema) body: CheckInSubmission,
  ): Promise<SubmissionResult> {
    return this.submissions.checkIn(ctx, id, body);
  }

  @IdempotentPost('vitals', submissionResultSchema)
  @Admit(vitalsAdmissionClass)
  vitals(
    @Ctx() ctx: RequestContext,
    @SessionId() id: string,
    @ValidBody(vitalsSubmissionSchema) body: VitalsSubmission,
  ): Promise<SubmissionResult> {
    return this.submissions.vitals(ctx, id, body);
  }

  @IdempotentPost('notes', submissionResultSchema)
  @Admit('priority')
  note(
    @Ctx() ctx: RequestContext,
    @SessionId() id: string,
    @ValidBody(noteSubmissionSchema) body: NoteSubmission,
  ): Promise<SubmissionResult> {
    return this.submissions.note(ctx, id, body);
  }

  @IdempotentPost('messages', submissionResultSchema)
  @Admit('priority')
  message(
    @Ctx() ctx: RequestContext,
    @SessionId() id: string,
    @ValidBody(messageSubmissionSchema) body: MessageSubmission,
  ): Promise<SubmissionResult> {
    return this.submissions.message(ctx, id, body);
  }

  @IdempotentPost('help', submissionResultSchema)
  @Admit('help')
  @HelpBudget()
  help(
    @Ctx() ctx: RequestContext,
    @SessionId() id: string,
    @ValidBody(helpSubmissionSchema) body: HelpSubmission,
  ): Promise<SubmissionResult> {
    return this.submissions.help(ctx, id, body);
  }
}
