import { Injectable } from '@nestjs/common';

/** A device's credential stopped holding: its open sockets must be cut at once. */
export interface DeviceCredentialEnded {
  type: 'device.revoked' | 'device.rotated';
  deviceId: string;
}

/** In-process announcement; other instances catch up through the live sweep (DeviceLiveService). */
@Injectable()
export class DeviceEvents {
  private readonly listeners = new Set<(event: DeviceCredentialEnded) => void>();

  subscribe(listener: (event: DeviceCredentialEnded) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: DeviceCredentialEnded): void {
    for (const listener of this.listeners) listener(event);
  }
}
