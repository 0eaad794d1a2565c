import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { SupervisorController } from './supervisor.controller';
import { SupervisorService } from './supervisor.service';

/** Supervisor history, alert response figures, REMS-style reports, account history. */
@Module({
  imports: [UsersModule],
  controllers: [SupervisorController],
  providers: [SupervisorService],
})
export class SupervisorModule {}
