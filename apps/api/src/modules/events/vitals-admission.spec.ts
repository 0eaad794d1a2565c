import { MAX_READINGS_PER_SUBMISSION } from '@vigil/contracts';
import { vitalsAdmissionClass } from './vitals-admission';

const reading = (kind: string, value: unknown) => ({
  kind,
  value,
  measuredAt: '2026-12-02T10:00:00.000Z',
});

describe('vitalsAdmissionClass', () => {
  it('classes a submission holding an alert-worthy reading as urgent, whatever else it holds', () => {
    const body = {
      sessionId: 'x',
      clientId: 'c',
      readings: [reading('heart_rate', 72), reading('bp_systolic', 186)],
    };
    expect(vitalsAdmissionClass(body)).toBe('urgent');
    expect(vitalsAdmissionClass({ readings: [reading('spo2', 90)] })).toBe('urgent');
  });

  it('classes normal readings as routine', () => {
    expect(
      vitalsAdmissionClass({ readings: [reading('heart_rate', 72), reading('spo2', 98)] }),
    ).toBe('routine');
  });

  it('classes what does not look like readings as routine (the schema refuses it later)', () => {
    for (const payload of [
      null,
      42,
      'readings',
      {},
      { readings: 'x' },
      { readings: [null, 7, reading('bp_sys', 186), reading('bp_systolic', '186')] },
      { readings: [reading('bp_systolic', Number.NaN), reading('bp_systolic', Infinity)] },
    ])
      expect(vitalsAdmissionClass(payload)).toBe('routine');
  });

  it('reads no further than the schema allows', () => {
    const normal = Array.from({ length: MAX_READINGS_PER_SUBMISSION }, () =>
      reading('heart_rate', 72),
    );
    expect(vitalsAdmissionClass({ readings: [...normal, reading('bp_systolic', 186)] })).toBe(
      'routine',
    );
    expect(vitalsAdmissionClass({ readings: [reading('bp_systolic', 186), ...normal] })).toBe(
      'urgent',
    );
  });
});
