import type { OverrideSetting, PatientOverrides } from '@vigil/contracts';
import { api } from '../../shared/api';

/** One bounded setting of a patient's protocol, with the override in force if any (v1.1). */
export type OverrideSettingView = OverrideSetting;

const base = (patientId: string) => `/api/patients/${encodeURIComponent(patientId)}/overrides`;

/**
 * Per-patient protocol overrides (REST). Each change is audited by the server (who, when, why)
 * and refused with a 400 naming the setting and its bounds when outside them.
 */
export const overridesApi = {
  list: (patientId: string) =>
    api<PatientOverrides>('GET', base(patientId)).then((r) => r.settings),
  set: (patientId: string, setting: string, value: number, reason: string) =>
    api<OverrideSettingView>('PUT', `${base(patientId)}/${encodeURIComponent(setting)}`, {
      value,
      reason,
    }),
  clear: (patientId: string, setting: string, reason: string) =>
    api<unknown>('DELETE', `${base(patientId)}/${encodeURIComponent(setting)}`, { reason }),
};

export type OverridesApi = typeof overridesApi;
