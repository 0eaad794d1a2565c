import { Module } from '@nestjs/common';
import { DeviceEvents } from './device-events';
import { DevicesController } from './devices.controller';
import { DevicesService } from './devices.service';

/** Devices paired with a patient: pairing, credentials, and their path for readings. */
@Module({
  controllers: [DevicesController],
  providers: [DevicesService, DeviceEvents],
  exports: [DeviceEvents],
})
export class DevicesModule {}
