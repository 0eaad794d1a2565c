import {
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type {
  DeviceCredentialResponse,
  DeviceSummary,
  PairDeviceRequest,
  RevokeDeviceRequest,
} from '@vigil/contracts';
import { CLOCK, type Clock } from '../../common/clock';
import type { RequestContext } from '../../common/request-context';
import { AuditService, auditFrom, type AuditEntry } from '../audit/audit.service';
import { mintCredential } from './device-credentials';
import { DeviceEvents } from './device-events';
import {
  findDevice,
  insertDevice,
  listDevices,
  managedPatient,
  revokeDevice,
  rotateDevice,
  toDeviceSummary,
} from './devices.repository';

/** A refusal: audited on its own, then thrown as its HTTP error. */
class Denial {
  constructor(
    readonly status: 404 | 403 | 409,
    readonly message: string,
  ) {}
}

/**
 * Pairing, listing, revoking and rotating a patient's devices. Staff only: an assigned clinician
 * or a supervisor; anyone else gets 404 for the patient (403 for a patient's own account), and
 * every action and refusal is audited in the same transaction as what it records.
 */
@Injectable()
export class DevicesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly events: DeviceEvents,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async pair(
    ctx: RequestContext,
    patientId: string,
    body: PairDeviceRequest,
  ): Promise<DeviceCredentialResponse> {
    // Hash outside the transaction: argon2 takes a while and holds no lock.
    const minted = await mintCredential();
    return this.act(ctx, patientId, null, 'device.pair', async (manager, entry) => {
      const id = await insertDevice(manager, {
        patientId,
        ...body,
        keyId: minted.keyId,
        secretHash: minted.secretHash,
        pairedBy: ctx.user.id,
        pairedAt: this.clock.now(),
      });
      if (!id)
        return new Denial(
          409,
          `serial: this ${body.kind} (${body.manufacturer} ${body.model} ${body.serial}) is already paired; revoke that pairing first`,
        );
      const row = await findDevice(manager, patientId, id);
      entry.entityId = id;
      entry.detail = { kind: body.kind, manufacturer: body.manufacturer, model: body.model };
      return { device: toDeviceSummary(row!), credential: minted.credential };
    });
  }

  list(ctx: RequestContext, patientId: string): Promise<DeviceSummary[]> {
    return this.act(ctx, patientId, null, 'device.list', async (manager, entry) => {
      const rows = await listDevices(manager, patientId);
      entry.detail = { deviceIds: rows.map((r) => r.id) };
      return rows.map(toDeviceSummary);
    });
  }

  revoke(
    ctx: RequestContext,
    patientId: string,
    deviceId: string,
    body: RevokeDeviceRequest,
  ): Promise<DeviceSummary> {
    const result = this.act(ctx, patientId, deviceId, 'device.revoke', async (manager, entry) => {
      const row = await findDevice(manager, patientId, deviceId, true);
      if (!row) return new Denial(404, 'device: not found');
      if (row.revoked_at) return toDeviceSummary(row); // already revoked: nothing more to do
      await revokeDevice(manager, deviceId, ctx.user.id, this.clock.now(), body.reason ?? null);
      entry.detail = { reason: body.reason ?? null };
      return toDeviceSummary((await findDevice(manager, patientId, deviceId))!);
    });
    return result.then((summary) => {
      this.events.publish({ type: 'device.revoked', deviceId });
      return summary;
    });
  }

  async rotate(
    ctx: RequestContext,
    patientId: string,
    deviceId: string,
  ): Promise<DeviceCredentialResponse> {
    const minted = await mintCredential();
    const result = await this.act(
      ctx,
      patientId,
      deviceId,
      'device.rotate',
      async (manager): Promise<DeviceCredentialResponse | Denial> => {
        const row = await findDevice(manager, patientId, deviceId, true);
        if (!row) return new Denial(404, 'device: not found');
        if (row.revoked_at)
          return new Denial(409, 'device: revoked; pair it again for a new credential');
        await rotateDevice(
          manager,
          deviceId,
          minted.keyId,
          minted.secretHash,
          ctx.user.id,
          this.clock.now(),
        );
        const fresh = (await findDevice(manager, patientId, deviceId))!;
        return { device: toDeviceSummary(fresh), credential: minted.credential };
      },
    );
    this.events.publish({ type: 'device.rotated', deviceId });
    return result;
  }

  /**
   * Runs `work` for a patient the caller may manage, auditing it in the same transaction; a
   * refusal (`Denial`) is audited on its own and thrown as its HTTP error.
   */
  private async act<T extends object>(
    ctx: RequestContext,
    patientId: string,
    deviceId: string | null,
    action: string,
    work: (manager: EntityManager, entry: AuditEntry) => Promise<T | Denial>,
  ): Promise<T> {
    const entry = auditFrom(ctx, {
      action,
      entityType: 'device',
      entityId: deviceId,
      patientId,
      outcome: 'success',
    });
    const outcome = await this.dataSource.transaction(async (manager) => {
      if (ctx.user.role === 'patient')
        return new Denial(403, `role: a patient may not do ${action}`);
      if (!(await managedPatient(manager, ctx.user, patientId, this.clock.now())))
        return new Denial(404, 'patient: not found');
      const value = await work(manager, entry);
      if (value instanceof Denial) return value;
      await this.audit.append([entry], manager);
      return value;
    });
    if (!(outcome instanceof Denial)) return outcome;
    await this.audit.append([
      {
        ...entry,
        outcome: 'denied',
        // A patient id the caller may not see is still recorded, as for sessions.
        detail: { ...entry.detail, reason: outcome.message },
      },
    ]);
    if (outcome.status === 403) throw new ForbiddenException(outcome.message);
    if (outcome.status === 409) throw new ConflictException(outcome.message);
    throw new NotFoundException(outcome.message);
  }
}
