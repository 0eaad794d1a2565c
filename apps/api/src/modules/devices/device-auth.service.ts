import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { DeviceKind } from '@vigil/contracts';
import { AuditService } from '../audit/audit.service';
import { CredentialVerifier, parseCredential } from './device-credentials';
import { deviceOf, findByKeyId } from './devices.repository';

/** Who is speaking when a device credential is presented: the device and its one patient. */
export interface DeviceIdentity {
  id: string;
  patientId: string;
  kind: DeviceKind;
  manufacturer: string;
  model: string;
  /** The credential's key id: a rotation changes it, which ends this identity. */
  keyId: string;
  /** When this pairing began: the device's readings from before it were not this patient's. */
  pairedAt: Date;
}

export interface Origin {
  ip: string | null;
  userAgent: string | null;
}

/** Verifies device credentials; every refusal is audited (`device.auth`, denied). */
@Injectable()
export class DeviceAuthService {
  private readonly verifier = new CredentialVerifier();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async authenticate(
    token: string | null | undefined,
    origin: Origin,
  ): Promise<DeviceIdentity | null> {
    const parts = token ? parseCredential(token) : null;
    const row = parts ? await findByKeyId(this.dataSource.manager, parts.keyId) : null;
    const ok =
      parts !== null &&
      row !== null &&
      row.revoked_at === null &&
      row.patient_active &&
      (await this.verifier.verify(token!, parts.secret, row.secret_hash));
    if (ok) return { ...deviceOf(row), keyId: row.key_id, pairedAt: row.paired_at };
    await this.audit.append([
      {
        actorId: row?.id ?? null,
        actorRole: 'device',
        action: 'device.auth',
        entityType: 'device',
        entityId: row?.id ?? null,
        patientId: row?.patient_id ?? null,
        outcome: 'denied',
        ip: origin.ip,
        userAgent: origin.userAgent,
        detail: {
          reason: !parts
            ? 'malformed'
            : !row
              ? 'unknown'
              : row.revoked_at
                ? 'revoked'
                : !row.patient_active
                  ? 'patient_inactive'
                  : 'bad_secret',
        },
      },
    ]);
    return null;
  }
}
