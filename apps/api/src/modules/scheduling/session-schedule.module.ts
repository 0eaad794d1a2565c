import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { ProtocolsModule } from '../protocols/protocols.module';
import { SessionsModule } from '../sessions/sessions.module';
import { SessionScheduleController } from './session-schedule.controller';
import { SessionScheduleService } from './session-schedule.service';

/**
 * Scheduling a session (POST /api/admin/sessions). A module and a folder of its own, above
 * sessions/ and protocols/: scheduling needs a protocol (ProtocolsModule), and protocols/ needs
 * sessions/' access rule for the overrides it serves, so scheduling inside sessions/ made the
 * folders a cycle (sessions <-> protocols). It writes the new session row itself (its
 * repository, through sessions/' entity) and reads it back through SessionAccess.
 */
@Module({
  imports: [AccountsModule, AuditModule, ProtocolsModule, SessionsModule],
  controllers: [SessionScheduleController],
  providers: [SessionScheduleService],
})
export class SessionScheduleModule {}
