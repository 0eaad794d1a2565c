import type { Device, Reference } from 'fhir/r4';
import type { ReadingDevice, SessionEventOf } from '@vigil/contracts';
import { VIGIL_BASE } from './fhir-codes';
import { stableUuid, urn } from './fhir-ids';

export const VIGIL_DEVICE_ID = `${VIGIL_BASE}/NamingSystem/device-id`;
export const VIGIL_DEVICE_KINDS = `${VIGIL_BASE}/CodeSystem/device-kind`;

const KIND_TEXT: Record<string, string> = {
  bp_cuff: 'Blood pressure cuff',
  pulse_oximeter: 'Pulse oximeter',
  hub: 'Device hub',
};

/** The paired device (contract v1.2) a `vitals.recorded` event names, if any. */
export function readingDevice(e: SessionEventOf<'vitals.recorded'>): ReadingDevice | null {
  return e.data.device ?? null;
}

/**
 * The Device resource for a paired device, once per bundle (`seen` maps device id to its
 * reference), so each device-sourced Observation can name it in `device`.
 */
export function deviceReference(
  d: ReadingDevice,
  patient: Reference,
  seen: Map<string, Reference>,
  add: (device: Device) => void,
): Reference {
  const known = seen.get(d.id);
  if (known) return known;
  const id = stableUuid('device', d.id);
  add({
    resourceType: 'Device',
    id,
    identifier: [{ system: VIGIL_DEVICE_ID, value: d.id }],
    manufacturer: d.manufacturer,
    deviceName: [{ name: d.model, type: 'model-name' }],
    type: {
      coding: [{ system: VIGIL_DEVICE_KINDS, code: d.kind }],
      text: KIND_TEXT[d.kind] ?? d.kind,
    },
    patient,
  });
  const ref: Reference = {
    reference: urn(id),
    display: `${KIND_TEXT[d.kind] ?? d.kind} ${d.manufacturer} ${d.model}`.trim(),
  };
  seen.set(d.id, ref);
  return ref;
}
