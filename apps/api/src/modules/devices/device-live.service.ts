import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Socket } from 'socket.io';
import { DataSource } from 'typeorm';
import { isDeviceCredential, type SubmitAck, type VitalsSubmission } from '@vigil/contracts';
import { DeviceAuthService, type DeviceIdentity, type Origin } from './device-auth.service';
import { DeviceEvents } from './device-events';
import { DeviceReadingsService, DeviceRevokedException } from './device-readings.service';
import { stillValid } from './devices.repository';

/** How often open device sockets are checked against the database (revocations elsewhere). */
const SWEEP_MS = 2_000;

const forbidden = (message: string) =>
  ({ ok: false, error: { code: 'forbidden', message } }) as const;

/**
 * Devices on `/live`: the gateway hands over a socket whose handshake carried a device credential.
 * Such a socket joins no room, may send `vitals.submit` only (anything else is answered
 * `forbidden` and dropped), and only for its patient's live session. A revoked or rotated
 * credential cuts its sockets at once on this instance (DeviceEvents) and within SWEEP_MS on
 * every instance (the sweep reads the database), and refuses any submission in between.
 */
@Injectable()
export class DeviceLiveService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('DeviceLive');
  private readonly sockets = new Map<string, { socket: Socket; device: DeviceIdentity }>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auth: DeviceAuthService,
    private readonly readings: DeviceReadingsService,
    private readonly events: DeviceEvents,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.events.subscribe((event) => this.cut(event.deviceId));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
  }

  isCredential(token: unknown): token is string {
    return isDeviceCredential(token);
  }

  authenticate(token: string, origin: Origin): Promise<DeviceIdentity | null> {
    return this.auth.authenticate(token, origin);
  }

  /** Takes an authenticated device socket: vitals.submit only, watched for revocation. */
  admit(socket: Socket, device: DeviceIdentity): void {
    this.sockets.set(socket.id, { socket, device });
    socket.on('disconnect', () => this.sockets.delete(socket.id));
    socket.use(([event, ...args], next) => {
      if (event === 'vitals.submit') return next();
      const ack: unknown = args[args.length - 1];
      if (typeof ack === 'function')
        (ack as (a: unknown) => void)(
          forbidden(`${String(event)}: a device may only send vitals.submit`),
        );
    });
    this.sweepTimer ??= setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweepTimer.unref();
  }

  /** A refusal is thrown, for the gateway to answer; a revoked device is cut after that. */
  async submit(
    socket: Socket,
    device: DeviceIdentity,
    sessionId: string,
    body: VitalsSubmission,
    origin: Origin,
  ): Promise<SubmitAck> {
    try {
      return {
        ok: true,
        ...(await this.readings.submitFromSocket(device, sessionId, body, origin)),
      };
    } catch (err) {
      // Answer first, then cut: the device learns why.
      if (err instanceof DeviceRevokedException) setImmediate(() => socket.disconnect(true));
      throw err;
    }
  }

  private cut(deviceId: string): void {
    for (const { socket, device } of this.sockets.values()) {
      if (device.id === deviceId) socket.disconnect(true);
    }
  }

  /** Disconnects this instance's device sockets whose credential no longer holds. */
  private async sweep(): Promise<void> {
    if (this.sweeping || this.sockets.size === 0) return;
    this.sweeping = true;
    try {
      const entries = [...this.sockets.values()];
      const valid = await stillValid(
        this.dataSource.manager,
        entries.map((e) => ({ id: e.device.id, keyId: e.device.keyId })),
      );
      for (const { socket, device } of entries) {
        if (!valid.has(device.id)) socket.disconnect(true);
      }
    } catch (err) {
      this.logger.warn(`device sweep failed: ${(err as Error).message}`);
    } finally {
      this.sweeping = false;
    }
  }
}
