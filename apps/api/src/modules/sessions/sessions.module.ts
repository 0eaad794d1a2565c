import { Global, Module } from '@nestjs/common';
import { SessionAccess } from './session-access';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Global()
@Module({
  controllers: [SessionsController],
  providers: [SessionAccess, SessionsService],
  exports: [SessionAccess, SessionsService],
})
export class SessionsModule {}
