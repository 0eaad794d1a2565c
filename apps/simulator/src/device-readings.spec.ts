import { vitalsSubmissionSchema } from '@vigil/contracts';
import { cuffReadings, oximeterReadings } from './device-readings';

describe('simulated device readings', () => {
  const at = '2026-12-01T10:00:00.000Z';

  it('marks the oximeter stream (SpO2 and pulse) as coming from a device', () => {
    expect(oximeterReadings({ spo2: 97, hr: 72 }, at)).toEqual([
      { kind: 'spo2', value: 97, measuredAt: at, source: 'device' },
      { kind: 'heart_rate', value: 72, measuredAt: at, source: 'device' },
    ]);
  });

  it('marks the cuff BP as coming from a device, systolic and diastolic at the same instant', () => {
    expect(cuffReadings({ sbp: 132, dbp: 84 }, at)).toEqual([
      { kind: 'bp_systolic', value: 132, measuredAt: at, source: 'device' },
      { kind: 'bp_diastolic', value: 84, measuredAt: at, source: 'device' },
    ]);
  });

  it('sends what the public contract accepts', () => {
    const readings = [
      ...oximeterReadings({ spo2: 97, hr: 72 }, at),
      ...cuffReadings({ sbp: 132, dbp: 84 }, at),
    ];
    expect(vitalsSubmissionSchema.safeParse({ clientId: 'sim-1', readings }).success).toBe(true);
  });
});
