import { notThisSession } from './reading-window';

const at = (iso: string) => new Date(iso);
const window = { pairedAt: at('2026-12-01T10:00:00Z'), sessionStart: at('2026-12-01T09:00:00Z') };

describe('notThisSession: a paired device reading measured before its pairing or the session', () => {
  it.each([
    ['after the pairing', '2026-12-01T10:00:01Z', null],
    ['a clock 5 min slow, at the pairing', '2026-12-01T09:55:00Z', null],
    ['just over 5 min before the pairing', '2026-12-01T09:54:59.999Z', /paired with this patient/],
    ['yesterday', '2026-11-30T10:00:00Z', /paired with this patient/],
    ['a clock reset to year 1', '0001-01-01T00:00:00.000Z', /check the device clock/],
  ])('%s', (_what, measuredAt, expected) => {
    const why = notThisSession(measuredAt, window);
    if (expected === null) expect(why).toBeNull();
    else expect(why).toMatch(expected);
  });

  it('names the session when it went live after the pairing (a hub paired last week)', () => {
    const later = { pairedAt: at('2026-11-24T10:00:00Z'), sessionStart: window.pairedAt };
    expect(notThisSession('2026-11-30T10:00:00Z', later)).toBe(
      '2026-11-30T10:00:00Z is more than 5 minutes before this session started (2026-12-01T10:00:00.000Z): not a reading of this session, nothing was stored (check the device clock)',
    );
  });
});
