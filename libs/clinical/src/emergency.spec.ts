import { DEFAULT_ORAL_PROTOCOL } from './protocol';
import { isEmergencyCheckIn, MOAAS_HIGH_AT_OR_BELOW } from './emergency';

describe('isEmergencyCheckIn', () => {
  it('is the default protocol high MOAA/S limit', () => {
    expect(DEFAULT_ORAL_PROTOCOL.alerts.moaasLow.value).toBe(MOAAS_HIGH_AT_OR_BELOW);
  });

  it('says emergency for MOAA/S 2 or below, or any emergency symptom', () => {
    expect(isEmergencyCheckIn(2, [])).toBe(true);
    expect(isEmergencyCheckIn(0, [])).toBe(true);
    expect(isEmergencyCheckIn(3, [])).toBe(false);
    expect(isEmergencyCheckIn(undefined, [])).toBe(false);
    expect(isEmergencyCheckIn(5, ['vomiting', 'chest_pain'])).toBe(true);
    expect(isEmergencyCheckIn(5, ['vomiting', 'other'])).toBe(false);
  });
});
