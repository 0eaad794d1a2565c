import type { DeviceCredentialResponse, DeviceKind } from '@vigil/contracts';
import { http, type HttpResult, type TestUser } from './factories';

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';

/** Pairs a device through the real API (as a clinician or supervisor would). */
export async function pairDevice(
  url: string,
  token: string,
  patient: TestUser,
  kind: DeviceKind = 'hub',
  serial = `SN-${Math.random().toString(36).slice(2, 10)}`,
): Promise<DeviceCredentialResponse> {
  const res = await http<DeviceCredentialResponse>(
    url,
    'POST',
    `/api/patients/${patient.patientId}/devices`,
    { token, body: { kind, manufacturer: 'Acme', model: `${kind}-1`, serial } },
  );
  if (res.status !== 201)
    throw new Error(`pairing failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A FHIR post as a device sends it: its credential as the bearer token, application/fhir+json. */
export function postFhir(
  url: string,
  credential: string,
  path: '/api/fhir' | '/api/fhir/Observation',
  body: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read loosely typed JSON
): Promise<HttpResult<any>> {
  return http(url, 'POST', path, {
    rawBody: typeof body === 'string' ? body : JSON.stringify(body),
    headers: {
      authorization: `Bearer ${credential}`,
      'content-type': 'application/fhir+json',
    },
  });
}

let counter = 0;

/** A vital-signs Observation with one LOINC code (or several) and a UCUM quantity. */
export function observation(
  code: string | string[],
  value: number,
  unit: string,
  extra: Record<string, unknown> = {},
) {
  const codes = Array.isArray(code) ? code : [code];
  return {
    resourceType: 'Observation',
    status: 'final',
    identifier: [{ system: 'urn:test:obs', value: `obs-${Date.now()}-${++counter}` }],
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/observation-category',
            code: 'vital-signs',
          },
        ],
      },
    ],
    code: { coding: codes.map((c) => ({ system: LOINC, code: c })) },
    effectiveDateTime: new Date(Date.now() - 1000).toISOString(),
    valueQuantity: { value, unit, system: UCUM, code: unit },
    ...extra,
  };
}

export function bpPanel(
  sbp: number,
  dbp: number,
  unit = 'mm[Hg]',
  extra: Record<string, unknown> = {},
) {
  const panel: Record<string, unknown> = observation('85354-9', 0, unit, extra);
  delete panel.valueQuantity;
  const component = (code: string, value: number) => ({
    code: { coding: [{ system: LOINC, code }] },
    valueQuantity: { value, unit, system: UCUM, code: unit },
  });
  return { ...panel, component: [component('8480-6', sbp), component('8462-4', dbp)] };
}

export function bundle(type: 'batch' | 'transaction', resources: unknown[]) {
  return {
    resourceType: 'Bundle',
    type,
    entry: resources.map((resource) => ({
      resource,
      request: { method: 'POST', url: 'Observation' },
    })),
  };
}
