import { SIMULATED_PATIENT_NAMES, simulatedPatientName } from './demo-sim-patients';

describe('simulatedPatientName', () => {
  it('keeps the named dozen', () => {
    expect(SIMULATED_PATIENT_NAMES.map((_, i) => simulatedPatientName(i))).toEqual([
      ...SIMULATED_PATIENT_NAMES,
    ]);
  });

  it('gives 2,000 simulated patients 2,000 different names (a board of look-alikes misleads)', () => {
    const names = Array.from({ length: 2000 }, (_, i) => simulatedPatientName(i));
    expect(new Set(names).size).toBe(2000);
  });
});
