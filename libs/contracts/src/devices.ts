import { z } from 'zod';
import type { ReadingKind } from './domain';
import { oneOf } from './schemas';

/**
 * Paired devices (contract v1.2): a BP cuff, a pulse oximeter or a hub paired with one patient.
 * Its credential may only submit readings to that patient's live session.
 */
export const DEVICE_KINDS = ['bp_cuff', 'pulse_oximeter', 'hub'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** What each kind may report: a cuff's own pulse rate counts; a hub forwards anything. */
export const DEVICE_READING_KINDS: Readonly<Record<DeviceKind, readonly ReadingKind[]>> = {
  bp_cuff: ['bp_systolic', 'bp_diastolic', 'heart_rate'],
  pulse_oximeter: ['spo2', 'heart_rate', 'resp_rate'],
  hub: ['heart_rate', 'bp_systolic', 'bp_diastolic', 'spo2', 'resp_rate', 'temperature'],
};

/**
 * Device credentials look nothing like a user's access token (a JWT): `vgd_<key id>_<secret>`,
 * so a server tells them apart before verifying either.
 */
export const DEVICE_CREDENTIAL_PREFIX = 'vgd_';
export const isDeviceCredential = (token: unknown): token is string =>
  typeof token === 'string' && token.startsWith(DEVICE_CREDENTIAL_PREFIX);

const label = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, 'is required')
  .max(120, 'must be at most 120 characters');

export const pairDeviceSchema = z.strictObject({
  kind: oneOf(DEVICE_KINDS),
  manufacturer: label,
  model: label,
  serial: label,
});
export type PairDeviceRequest = z.infer<typeof pairDeviceSchema>;

export const revokeDeviceSchema = z.strictObject({
  reason: z
    .string({ error: 'must be a string' })
    .trim()
    .max(500, 'must be at most 500 characters')
    .optional(),
});
export type RevokeDeviceRequest = z.infer<typeof revokeDeviceSchema>;

/** v1.2: `vitals.recorded` data from a paired device names it beside the readings. */
export interface ReadingDevice {
  id: string;
  kind: DeviceKind;
  manufacturer: string;
  model: string;
  via: 'fhir' | 'socket';
}
