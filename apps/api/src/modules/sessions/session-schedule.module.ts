import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { ProtocolsModule } from '../protocols/protocols.module';
import { SessionScheduleController } from './session-schedule.controller';
import { SessionScheduleService } from './session-schedule.service';
import { SessionsModule } from './sessions.module';

/**
 * Scheduling a session. A module of its own beside SessionsModule, not inside it: scheduling
 * needs a protocol (ProtocolsModule), and ProtocolsModule needs SessionsModule's access rule
 * for the overrides it serves, so one module would be a cycle.
 */
@Module({
  imports: [AccountsModule, AuditModule, ProtocolsModule, SessionsModule],
  controllers: [SessionScheduleController],
  providers: [SessionScheduleService],
})
export class SessionScheduleModule {}
