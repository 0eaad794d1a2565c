import { Global, Module } from '@nestjs/common';
import { ProtocolsService } from './protocols.service';

@Global()
@Module({ providers: [ProtocolsService], exports: [ProtocolsService] })
export class ProtocolsModule {}
