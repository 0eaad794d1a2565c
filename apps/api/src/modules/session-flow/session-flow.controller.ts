import { Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  doseSubmissionSchema,
  overrideSubmissionSchema,
  screeningSubmissionSchema,
  transitionSubmissionSchema,
  type DoseSubmission,
  type OverrideSubmission,
  type ScreeningSubmission,
  type TransitionSubmission,
  screeningResultSchema,
  sessionFlowResultSchema,
} from '@vigil/contracts';
import { Ctx, type RequestContext } from '../../common/request-context';
import { SessionId } from '../../common/session-id.pipe';
import { ValidBody } from '../../common/valid-body';
import { SessionFlowService } from './session-flow.service';
import { IdempotentPost } from '../../common/api-responses';

/** 201 for a new action, 200 for a recognised retry (same clientId, same body). */
@ApiTags('session flow')
@ApiBearerAuth()
@Controller('sessions/:id')
export class SessionFlowController {
  constructor(private readonly flow: SessionFlowService) {}

  @IdempotentPost('screening', screeningResultSchema)
  screening(
    @Ctx() ctx: RequestContext,
    @SessionId() id: string,
    @ValidBody(screeningSubmissionSchema) body: ScreeningSubmission,
  ) {
    return this.flow.screening(ctx, id, body);
  }

  @IdempotentPost('dose', sessionFlowResultSchema)
  dose(
    @Ctx() ctx: RequestContext,
    @SessionId() id: string,
    @ValidBody(doseSubmissionSchema) body: DoseSubmission,
  ) {
    return this.flow.dose(ctx, id, body);
  }

  @IdempotentPost('override', sessionFlowResultSchema)
  override(
    @Ctx() ctx: RequestContext,
    @SessionId() id: string,
    @ValidBody(overrideSubmissionSchema) body: OverrideSubmission,
  ) {
    return this.flow.override(ctx, id, body);
  }

  @IdempotentPost('transition', sessionFlowResultSchema)
  transition(
    @Ctx() ctx: RequestContext,
    @SessionId() id: string,
    @ValidBody(transitionSubmissionSchema) body: TransitionSubmission,
  ) {
    return this.flow.transition(ctx, id, body);
  }
}
