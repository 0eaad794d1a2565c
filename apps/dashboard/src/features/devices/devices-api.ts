import type { DeviceCredentialResponse, DeviceSummary, PairDeviceRequest } from '@vigil/contracts';
import { api } from '../../shared/api';

/** The pairing routes of contract v1.2 (`/api/patients/:patientId/devices`). */
const base = (patientId: string) => `/api/patients/${patientId}/devices`;

export const listDevices = (patientId: string) => api<DeviceSummary[]>('GET', base(patientId));

export const pairDevice = (patientId: string, body: PairDeviceRequest) =>
  api<DeviceCredentialResponse>('POST', base(patientId), body);

export const rotateDevice = (patientId: string, deviceId: string) =>
  api<DeviceCredentialResponse>('POST', `${base(patientId)}/${deviceId}/rotate`);

export const revokeDevice = (patientId: string, deviceId: string, reason: string) =>
  api<DeviceSummary>('POST', `${base(patientId)}/${deviceId}/revoke`, reason ? { reason } : {});
