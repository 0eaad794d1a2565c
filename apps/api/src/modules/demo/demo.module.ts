import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { EventsModule } from '../events/events.module';
import { ProtocolsModule } from '../protocols/protocols.module';
import { DemoSeedService } from './demo-seed.service';

/** Imported in demo mode only; production never contains the demo accounts. */
@Module({
  imports: [AuditModule, AuthModule, EventsModule, ProtocolsModule],
  providers: [DemoSeedService],
  exports: [DemoSeedService],
})
export class DemoModule implements OnApplicationBootstrap {
  constructor(private readonly seed: DemoSeedService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.seed.seedIfEmpty();
    await this.seed.ensureSimulatedPatients();
  }
}
