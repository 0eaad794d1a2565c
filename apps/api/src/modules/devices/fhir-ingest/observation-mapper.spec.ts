import { fhirBundleAdmissionClass, fhirObservationAdmissionClass } from './fhir-admission';
import {
  LOINC,
  mapObservation,
  peekReadings,
  UCUM,
  type IngestContext,
} from './observation-mapper';

const ctx: IngestContext = {
  deviceId: '0b6f3c9e-52a4-4c1e-9d0a-2f1e8c7b6a51',
  deviceKind: 'hub',
  patientId: '5d7c1a2b-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
  now: new Date('2026-12-01T18:00:00Z'),
};
const AT = '2026-12-01T17:59:00Z';

function obs(code: string | string[], value: number, unit: string, extra: object = {}) {
  const codes = Array.isArray(code) ? code : [code];
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: codes.map((c) => ({ system: LOINC, code: c })) },
    effectiveDateTime: AT,
    valueQuantity: { value, unit, system: UCUM, code: unit },
    ...extra,
  };
}

function bp(sbp: number, dbp: number, unit = 'mm[Hg]') {
  const component = (code: string, value: number) => ({
    code: { coding: [{ system: LOINC, code }] },
    valueQuantity: { value, system: UCUM, code: unit },
  });
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: LOINC, code: '85354-9' }] },
    effectiveDateTime: AT,
    component: [component('8480-6', sbp), component('8462-4', dbp)],
  };
}

const readingsOf = (input: unknown) => {
  const result = mapObservation(input, ctx);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value.readings.map((r) => [r.kind, r.value]);
};
const issuesOf = (input: unknown) => {
  const result = mapObservation(input, ctx);
  if (result.ok) throw new Error('mapped, but should have been refused');
  return result.issues.map((i) => [i.expression, i.code]);
};

describe('mapObservation: FHIR R4 vital-signs Observation to readings', () => {
  it.each([
    ['8867-4', 72, '/min', 'heart_rate'],
    ['9279-1', 14, '/min', 'resp_rate'],
    ['59408-5', 97, '%', 'spo2'],
    ['2708-6', 96, '%', 'spo2'],
    ['8310-5', 36.8, 'Cel', 'temperature'],
    ['8480-6', 128, 'mm[Hg]', 'bp_systolic'],
    ['8462-4', 82, 'mm[Hg]', 'bp_diastolic'],
  ])('maps LOINC %s (%s %s) to %s', (code, value, unit, kind) => {
    expect(readingsOf(obs(code, value, unit))).toEqual([[kind, value]]);
  });

  it('maps SpO2 coded with both US Core codes to one reading', () => {
    expect(readingsOf(obs(['59408-5', '2708-6'], 95, '%'))).toEqual([['spo2', 95]]);
  });

  it('maps a BP panel (85354-9) to a systolic and a diastolic reading of the same time', () => {
    const result = mapObservation(bp(131, 84), ctx);
    expect(result.ok && result.value.readings).toEqual([
      { kind: 'bp_systolic', value: 131, measuredAt: '2026-12-01T17:59:00.000Z', source: 'device' },
      { kind: 'bp_diastolic', value: 84, measuredAt: '2026-12-01T17:59:00.000Z', source: 'device' },
    ]);
  });

  it.each([
    [obs('8867-4', 1.2, '/s'), 'heart_rate', 72],
    [obs('8867-4', 70, '{beats}/min'), 'heart_rate', 70],
    [obs('59408-5', 0.97, '1'), 'spo2', 97],
    [obs('8310-5', 98.6, '[degF]'), 'temperature', 37],
    [obs('8310-5', 310.15, 'K'), 'temperature', 37],
  ])('converts where UCUM allows: %#', (input, kind, value) => {
    expect(readingsOf(input)).toEqual([[kind, value]]);
  });

  it('converts a BP panel in kPa to mm[Hg]', () => {
    expect(readingsOf(bp(16, 10.7, 'kPa'))).toEqual([
      ['bp_systolic', 120.01],
      ['bp_diastolic', 80.26],
    ]);
  });

  it.each([
    ['mmHg (not UCUM)', obs('8480-6', 120, 'mmHg'), 'Observation.valueQuantity.code'],
    ['kg for a heart rate', obs('8867-4', 70, 'kg'), 'Observation.valueQuantity.code'],
    ['Cel for SpO2', obs('59408-5', 37, 'Cel'), 'Observation.valueQuantity.code'],
  ])('refuses a unit UCUM cannot convert: %s', (_name, input, expression) => {
    expect(issuesOf(input)).toEqual([[expression, 'code-invalid']]);
  });

  it('names the element of each refusal', () => {
    const wrongSystem = obs('8867-4', 70, '/min', {
      code: { coding: [{ system: 'http://snomed.info/sct', code: '8867-4' }] },
    });
    expect(issuesOf(wrongSystem)).toEqual([['Observation.code.coding[0].system', 'code-invalid']]);
    const noValue = { ...obs('8867-4', 70, '/min'), valueQuantity: undefined };
    expect(issuesOf(noValue)).toEqual([['Observation.valueQuantity', 'required']]);
    expect(issuesOf({ ...obs('8867-4', 70, '/min'), resourceType: 'Patient' })).toEqual([
      ['Observation.resourceType', 'invalid'],
    ]);
    expect(issuesOf(obs('8867-4', 251, '/min'))).toEqual([
      ['Observation.valueQuantity.value', 'value'],
    ]);
    expect(issuesOf(obs('29463-7', 70, 'kg'))).toEqual([
      ['Observation.code.coding', 'not-supported'],
    ]);
    expect(
      issuesOf(obs('8867-4', 70, '/min', { effectiveDateTime: '2026-12-01', status: 'cancelled' })),
    ).toEqual([
      ['Observation.status', 'value'],
      ['Observation.effectiveDateTime', 'value'],
    ]);
  });

  it("refuses another patient's subject and another Vigil device", () => {
    expect(
      issuesOf(
        obs('8867-4', 70, '/min', {
          subject: { reference: 'Patient/11111111-2222-4333-8444-555555555555' },
          device: { reference: 'Device/11111111-2222-4333-8444-555555555555' },
        }),
      ),
    ).toEqual([
      ['Observation.subject', 'not-found'],
      ['Observation.device', 'forbidden'],
    ]);
    expect(
      readingsOf(
        obs('8867-4', 70, '/min', {
          subject: { reference: `Patient/${ctx.patientId}` },
          device: { reference: `Device/${ctx.deviceId}` },
        }),
      ),
    ).toEqual([['heart_rate', 70]]);
  });

  it('refuses a reading the device kind does not measure', () => {
    const result = mapObservation(obs('8310-5', 37, 'Cel'), { ...ctx, deviceKind: 'bp_cuff' });
    expect(result.ok).toBe(false);
  });

  it('keys retries by identifier, else by device, code and time', () => {
    const a = mapObservation(
      obs('8867-4', 70, '/min', { identifier: [{ system: 'urn:x', value: '1' }] }),
      ctx,
    );
    const b = mapObservation(
      obs('8867-4', 71, '/min', { identifier: [{ system: 'urn:x', value: '1' }] }),
      ctx,
    );
    const c = mapObservation(obs('8867-4', 70, '/min'), ctx);
    const d = mapObservation(obs('8867-4', 70, '/min'), ctx);
    if (!a.ok || !b.ok || !c.ok || !d.ok) throw new Error('should map');
    expect(a.value.clientId).toBe(b.value.clientId);
    expect(c.value.clientId).toBe(d.value.clientId);
    expect(a.value.clientId).not.toBe(c.value.clientId);
    expect(a.value.clientId).toMatch(/^[A-Za-z0-9._:-]{1,100}$/);
    // The key of a stored reading: a retry sent after an upgrade must still find it.
    expect(a.value.clientId).toBe('fhir:9898c72d5faca3ae852231cc61a06c27dc446a3f');
  });

  it('refuses an identifier FHIR R4 does not allow, naming the element', () => {
    const issuesOf = (identifier: unknown) => {
      const result = mapObservation(obs('8867-4', 70, '/min', { identifier }), ctx);
      return result.ok ? [] : result.issues.map((i) => i.expression);
    };
    expect(issuesOf({ system: 'urn:x', value: '1' })).toEqual(['Observation.identifier']);
    expect(issuesOf(null)).toEqual(['Observation.identifier']);
    expect(issuesOf([{ system: 'urn:x', value: 1 }])).toEqual(['Observation.identifier[0].value']);
    expect(issuesOf([{ value: '1' }, { system: 7, value: '2' }])).toEqual([
      'Observation.identifier[1].system',
    ]);
    expect(issuesOf([{ system: 'urn:x', value: '' }])).toEqual(['Observation.identifier[0].value']);
    expect(issuesOf(['1'])).toEqual(['Observation.identifier[0]']);
    // An Identifier without a value (0..1) or none at all: keyed by device, code and time.
    expect(issuesOf([{ system: 'urn:x' }])).toEqual([]);
    expect(issuesOf([])).toEqual([]);
  });
});

describe('peekReadings and the admission class of a FHIR post (issue 15)', () => {
  it('reads the values mapObservation would, converted, without checking anything else', () => {
    expect(peekReadings(bp(186, 95))).toEqual([
      { kind: 'bp_systolic', value: 186 },
      { kind: 'bp_diastolic', value: 95 },
    ]);
    // No status, no time, another patient: not peekReadings' business (the mapper refuses it).
    const bare = obs('8310-5', 95, '[degF]', {
      status: undefined,
      effectiveDateTime: undefined,
      subject: { reference: 'Patient/other' },
    });
    expect(peekReadings(bare)).toEqual([{ kind: 'temperature', value: 35 }]);
    for (const junk of [null, 'x', {}, { code: 42 }, obs('0000-0', 186, 'mm[Hg]')])
      expect(peekReadings(junk)).toEqual([]);
  });

  it('classes an Observation or a Bundle holding an alert-worthy reading as urgent', () => {
    expect(fhirObservationAdmissionClass(bp(186, 95))).toBe('urgent');
    expect(fhirObservationAdmissionClass(obs('59408-5', 90, '%'))).toBe('urgent');
    expect(fhirObservationAdmissionClass(bp(120, 80))).toBe('routine');
    expect(fhirObservationAdmissionClass(obs('8867-4', 72, '/min'))).toBe('routine');
    const bundle = (...resources: unknown[]) => ({
      resourceType: 'Bundle',
      type: 'batch',
      entry: resources.map((resource) => ({ resource })),
    });
    expect(fhirBundleAdmissionClass(bundle(bp(120, 80), obs('8310-5', 34.9, 'Cel')))).toBe(
      'urgent',
    );
    expect(fhirBundleAdmissionClass(bundle(bp(120, 80), obs('8867-4', 72, '/min')))).toBe(
      'routine',
    );
    expect(fhirBundleAdmissionClass({ entry: 'x' })).toBe('routine');
    expect(fhirBundleAdmissionClass(null)).toBe('routine');
  });
});

describe('malformed device observations are refused by name, never misread (review)', () => {
  const component = (code: string, value: number) => ({
    code: { coding: [{ system: LOINC, code }] },
    valueQuantity: { value, system: UCUM, code: 'mm[Hg]' },
  });
  const panel = (components: unknown[]) => ({
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: LOINC, code: '85354-9' }] },
    effectiveDateTime: AT,
    component: components,
  });
  const refused = (body: unknown) => {
    const result = mapObservation(body, ctx);
    return result.ok ? result.value.readings : result.issues.map((i) => i.expression);
  };

  it('refuses a BP panel with two systolic components instead of storing both as systolic', () => {
    expect(refused(panel([component('8480-6', 120), component('8480-6', 80)]))).toEqual([
      'Observation.component[1].code',
    ]);
  });

  it('ignores a component coded "constructor" as any unknown code (it was a TypeError, a 500)', () => {
    const body = panel([component('constructor', 120), component('8462-4', 80)]);
    expect(() => fhirObservationAdmissionClass(body)).not.toThrow();
    expect(refused(body)).toEqual([expect.objectContaining({ kind: 'bp_diastolic', value: 80 })]);
  });

  it('refuses a time on a day that does not exist (30 February), not read as 2 March', () => {
    expect(
      refused(obs('8867-4', 72, '/min', { effectiveDateTime: '2026-02-30T10:00:00Z' })),
    ).toEqual(['Observation.effectiveDateTime']);
  });

  it('refuses a censored quantity ("< 70 %") rather than store it as exactly 70 %', () => {
    const spo2 = obs('59408-5', 70, '%');
    const censored = { ...spo2, valueQuantity: { ...spo2.valueQuantity, comparator: '<' } };
    expect(refused(censored)).toEqual(['Observation.valueQuantity.comparator']);
  });
});
