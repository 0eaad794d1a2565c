import { Injectable } from '@nestjs/common';
import { Announcer } from '../../common/announcer';

/** A device's credential stopped holding: its open sockets must be cut at once. */
export interface DeviceCredentialEnded {
  type: 'device.revoked' | 'device.rotated';
  deviceId: string;
}

/** In-process announcement; other instances catch up through the live sweep (DeviceLiveService). */
@Injectable()
export class DeviceEvents extends Announcer<DeviceCredentialEnded> {}
