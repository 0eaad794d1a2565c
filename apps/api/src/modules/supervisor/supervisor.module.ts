import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { ProtocolsModule } from '../protocols/protocols.module';
import { SessionsModule } from '../sessions/sessions.module';
import { SupervisorController } from './supervisor.controller';
import { SupervisorService } from './supervisor.service';

/** Supervisor history, alert response figures, REMS-style reports, account history. */
@Module({
  imports: [AccountsModule, AuditModule, ProtocolsModule, SessionsModule],
  controllers: [SupervisorController],
  providers: [SupervisorService],
})
export class SupervisorModule {}
