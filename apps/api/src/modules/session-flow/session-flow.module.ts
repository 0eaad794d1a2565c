import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { ProtocolsModule } from '../protocols/protocols.module';
import { SessionsModule } from '../sessions/sessions.module';
import { SessionFlowController } from './session-flow.controller';
import { SessionFlowService } from './session-flow.service';

/** The session state machine over REST: screening, dose, overrides, transitions. */
@Module({
  imports: [AuditModule, EventsModule, ProtocolsModule, SessionsModule],
  controllers: [SessionFlowController],
  providers: [SessionFlowService],
})
export class SessionFlowModule {}
