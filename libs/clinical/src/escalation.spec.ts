import { clampSilence, escalationDue, type EscalatableAlert } from './escalation';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
import { iso, sec, T0 } from './testing/factories';

const alert = (o: Partial<EscalatableAlert> = {}): EscalatableAlert => ({
  priority: 'high',
  status: 'open',
  raisedAt: iso(T0),
  lastEscalatedAt: null,
  acknowledgedAt: null,
  silencedUntil: null,
  ...o,
});

describe('escalationDue (high 2 min, medium 5 min, reminders every 2 min)', () => {
  it.each([
    ['high', 119, false],
    ['high', 120, true],
    ['high', 121, true],
    ['medium', 299, false],
    ['medium', 300, true],
    ['medium', 301, true],
  ] as const)('escalates an unacknowledged %s alert at %i s: %s', (priority, s, due) => {
    expect(escalationDue(alert({ priority }), sec(s), P)).toEqual({
      due,
      kind: 'escalate',
      nextDueAt: iso(sec(priority === 'high' ? 120 : 300)),
    });
  });

  it.each([
    [239, false],
    [240, true],
  ])('repeats a reminder every 2 minutes until acknowledged (%i s: %s)', (s, due) => {
    expect(escalationDue(alert({ lastEscalatedAt: iso(sec(120)) }), sec(s), P)).toEqual({
      due,
      kind: 'remind',
      nextDueAt: iso(sec(240)),
    });
  });

  it('defers a reminder, never the first escalation, while silenced', () => {
    const silenced = iso(sec(300));
    expect(escalationDue(alert({ silencedUntil: silenced }), sec(120), P).due).toBe(true);
    expect(
      escalationDue(
        alert({ silencedUntil: silenced, lastEscalatedAt: iso(sec(120)) }),
        sec(240),
        P,
      ),
    ).toEqual({ due: false, kind: 'remind', nextDueAt: silenced });
  });

  // "never an indefinite alarms off": a silence renewed before it ends, again and again, with no
  // acknowledgement, defers the reminder by at most one silence (2 min), never for good.
  it.each([
    [sec(300), sec(300)],
    [sec(359), sec(359)],
    [sec(360), sec(360)],
    [sec(600), sec(360)],
    [sec(3600), sec(360)],
  ])(
    'a silence until %i ms defers the reminder due at 240 s to %i ms at the most',
    (until, due) => {
      const escalated = alert({ silencedUntil: iso(until), lastEscalatedAt: iso(sec(120)) });
      expect(escalationDue(escalated, due, P)).toEqual({
        due: true,
        kind: 'remind',
        nextDueAt: iso(due),
      });
    },
  );

  it.each([
    [{ acknowledgedAt: iso(sec(60)), status: 'acknowledged' as const }],
    [{ status: 'resolved' as const }],
    [{ priority: 'low' as const }],
    [{ priority: 'info' as const }],
  ])('never escalates %j', (change) => {
    expect(escalationDue(alert(change), sec(3600), P)).toEqual({
      due: false,
      kind: null,
      nextDueAt: null,
    });
  });
});

describe('clampSilence (a silence lasts at most 2 minutes)', () => {
  it.each([
    [60, 60],
    [119, 119],
    [120, 120],
    [121, 120],
    [24 * 3600, 120],
  ])('a silence asked until +%i s ends at +%i s', (asked, until) => {
    expect(clampSilence(iso(sec(asked)), iso(T0), P)).toBe(iso(sec(until)));
  });

  it('refuses an unreadable time', () => {
    expect(clampSilence('soon', iso(T0), P)).toBeNull();
  });
});
