import { Module } from '@nestjs/common';
import { SessionFlowController } from './session-flow.controller';
import { SessionFlowService } from './session-flow.service';

/** The session state machine over REST: screening, dose, overrides, transitions. */
@Module({ controllers: [SessionFlowController], providers: [SessionFlowService] })
export class SessionFlowModule {}
