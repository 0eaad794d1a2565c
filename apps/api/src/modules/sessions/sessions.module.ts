import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { SessionAccess } from './session-access';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [AuditModule, EventsModule],
  controllers: [SessionsController],
  providers: [SessionAccess, SessionsService],
  exports: [SessionAccess, SessionsService],
})
export class SessionsModule {}
