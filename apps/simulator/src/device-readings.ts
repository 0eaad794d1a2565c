import type { Reading } from '@vigil/contracts';
import type { Vitals } from './physiology.model';

/**
 * What the simulated devices send. Every reading names its source (contract v1.1): the
 * oximeter's SpO2 and pulse are a continuous stream, which the server holds for the stream
 * delay before alarming, and the cuff's BP is a device reading too (discrete by kind).
 */
export function oximeterReadings(v: Pick<Vitals, 'spo2' | 'hr'>, measuredAt: string): Reading[] {
  return [
    { kind: 'spo2', value: v.spo2, measuredAt, source: 'device' },
    { kind: 'heart_rate', value: v.hr, measuredAt, source: 'device' },
  ];
}

export function cuffReadings(v: Pick<Vitals, 'sbp' | 'dbp'>, measuredAt: string): Reading[] {
  return [
    { kind: 'bp_systolic', value: v.sbp, measuredAt, source: 'device' },
    { kind: 'bp_diastolic', value: v.dbp, measuredAt, source: 'device' },
  ];
}
