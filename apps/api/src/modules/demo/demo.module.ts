import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { DemoSeedService } from './demo-seed.service';

/** Imported in demo mode only; production never contains the demo accounts. */
@Module({ providers: [DemoSeedService], exports: [DemoSeedService] })
export class DemoModule implements OnApplicationBootstrap {
  constructor(private readonly seed: DemoSeedService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.seed.seedIfEmpty();
    await this.seed.ensureSimulatedPatients();
  }
}
