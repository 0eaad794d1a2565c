import { Global, Module } from '@nestjs/common';
import { OverridesController } from './overrides.controller';
import { OverridesService } from './overrides.service';
import { ProtocolsService } from './protocols.service';

/** Protocol versions, and the per-patient overrides of their bounded settings. */
@Global()
@Module({
  controllers: [OverridesController],
  providers: [ProtocolsService, OverridesService],
  exports: [ProtocolsService],
})
export class ProtocolsModule {}
