import type { SessionEvent, SessionSummary } from '@vigil/contracts';
import type { OutboxItem } from '@vigil/outbox';
import { patientPhase, pickTodaysSession } from './session-phase';

const NOW = Date.parse('2026-11-26T10:00:00Z');
// `overrides` (v1.1) is spread in so the factory fits SessionSummary before and after it gains it.
const session = (over: Partial<SessionSummary> = {}): SessionSummary => ({
  ...{ overrides: [] },
  id: 's1',
  patient: { id: 'p', name: 'Pat' },
  clinician: { id: 'c', name: 'Dr C' },
  state: 'scheduled',
  protocol: { id: 'pr', name: 'oral', version: 1 },
  scheduledFor: '2026-11-26T09:00:00Z',
  dosedAt: null,
  endedAt: null,
  headSeq: 0,
  ...over,
});
let seq = 0;
const event = (type: SessionEvent['type'], data: Record<string, unknown>): SessionEvent =>
  ({
    sessionId: 's1',
    seq: ++seq,
    type,
    at: '2026-11-26T09:30:00Z',
    actorId: null,
    data,
  }) as SessionEvent;
const item = (kind: OutboxItem['kind'], over: Partial<OutboxItem> = {}): OutboxItem => ({
  clientId: `${kind}-${++seq}`,
  userId: 'u',
  sessionId: 's1',
  kind,
  body: {},
  createdAt: '2026-11-26T09:40:00Z',
  status: 'pending',
  attempts: 0,
  ...over,
});
const ui = { retakeScreening: false, cautionAccepted: false };
const noGo = { status: 'no_go', reasons: [{ code: 'bp_no_go', message: 'BP 172/96 > 160/90' }] };

describe('patientPhase', () => {
  beforeEach(() => {
    seq = 0;
  });

  it('asks for the screening on a scheduled session, and says it is waiting while unsent', () => {
    expect(patientPhase(session(), [], [], ui)).toEqual({
      kind: 'screening',
      gate: null,
      refused: null,
    });
    expect(patientPhase(session(), [], [item('screening')], ui).kind).toBe('screening-saved');
  });

  it('holds a no-go at "wait for your clinician" until the override moves the session to ready', () => {
    const screened = [event('screening.submitted', { gate: noGo })];
    const phase = patientPhase(session({ state: 'screening', headSeq: 1 }), screened, [], ui);
    expect(phase).toEqual({
      kind: 'gate',
      gate: {
        ...noGo,
        hardStop: false,
        // No time from the server: the default 10-minute rest from the screening.
        remeasureAfter: '2026-11-26T09:40:00.000Z',
        clearanceRequired: true,
      },
      refused: null,
    });
    expect(
      patientPhase(session({ state: 'screening' }), screened, [], { ...ui, retakeScreening: true })
        .kind,
    ).toBe('screening');

    const overridden = [
      ...screened,
      event('session.state_changed', {
        from: 'screening',
        to: 'ready',
        override: { reason: 'ok' },
      }),
    ];
    expect(
      patientPhase(session({ state: 'screening', headSeq: 1 }), overridden, [], ui),
    ).toMatchObject({
      kind: 'dose',
      overridden: true,
    });
  });

  it('takes the rest from the server, and keeps a clinician-cleared session waiting after a lower reading', () => {
    const first = event('screening.submitted', {
      gate: { ...noGo, remeasureAfter: '2026-11-26T09:45:00Z' },
    });
    const phase = patientPhase(session({ state: 'screening', headSeq: 1 }), [first], [], ui);
    expect(phase).toMatchObject({ kind: 'gate', gate: { remeasureAfter: '2026-11-26T09:45:00Z' } });

    // A later "go" (the server says clearance is required; the phone knows it had a no-go too).
    const go = { status: 'go', reasons: [], clinicianClearanceRequired: true };
    const again = [first, event('screening.submitted', { gate: go })];
    for (const state of ['screening', 'ready'] as const) {
      const p = patientPhase(session({ state, headSeq: 2 }), again, [], ui);
      expect(p).toMatchObject({ kind: 'gate', gate: { status: 'go', clearanceRequired: true } });
    }
    const withoutFlag = [
      first,
      event('screening.submitted', { gate: { status: 'go', reasons: [] } }),
    ];
    expect(patientPhase(session({ state: 'ready', headSeq: 4 }), withoutFlag, [], ui).kind).toBe(
      'gate',
    );

    const cleared = [
      ...again,
      event('session.state_changed', {
        from: 'screening',
        to: 'ready',
        override: { reason: 'ok' },
      }),
    ];
    expect(patientPhase(session({ state: 'screening', headSeq: 1 }), cleared, [], ui).kind).toBe(
      'dose',
    );
  });

  it('shows a refused re-measure (sent before the rest was over) on the waiting screen', () => {
    const screened = [event('screening.submitted', { gate: noGo })];
    const refusedItem = item('screening', {
      status: 'rejected',
      lastError: 'measure again after 09:45',
    });
    expect(
      patientPhase(session({ state: 'screening', headSeq: 1 }), screened, [refusedItem], ui),
    ).toMatchObject({ kind: 'gate', refused: 'measure again after 09:45' });
  });

  it('says stop when no adult support person stays for the whole session', () => {
    const gate = {
      status: 'no_go',
      reasons: [{ code: 'support_person_not_present', message: 'x' }],
    };
    const phase = patientPhase(
      session({ state: 'screening' }),
      [event('screening.submitted', { gate })],
      [],
      ui,
    );
    expect(phase).toMatchObject({ kind: 'gate', gate: { hardStop: true } });
  });

  it('asks the patient to talk to the clinician on a caution before showing the dose form', () => {
    const gate = { status: 'caution', reasons: [{ code: 'bp_caution', message: 'BP 150/85' }] };
    const events = [event('screening.submitted', { gate })];
    expect(patientPhase(session({ state: 'ready' }), events, [], ui).kind).toBe('gate');
    expect(
      patientPhase(session({ state: 'ready' }), events, [], { ...ui, cautionAccepted: true }).kind,
    ).toBe('dose');
  });

  it('starts the session clock from a dose saved offline, before the server knows', () => {
    const dose = item('dose', {
      body: { doseMg: 100, route: 'sublingual', takenAt: '2026-11-26T09:45:00Z' },
    });
    expect(patientPhase(session({ state: 'ready' }), [], [dose], ui)).toEqual({
      kind: 'monitoring',
      state: 'ready',
      dosedAt: '2026-11-26T09:45:00Z',
      route: 'sublingual',
      doseSaved: true,
    });
  });

  it('follows the event log when it is newer than the summary: sign-off shows the end screen', () => {
    const live = session({ state: 'monitoring', dosedAt: '2026-11-26T08:00:00Z', headSeq: 1 });
    const events = [
      event('checkin.recorded', {}),
      event('session.state_changed', { from: 'recovery', to: 'ended' }),
    ];
    expect(patientPhase(live, events, [], ui).kind).toBe('ended');
    expect(patientPhase(live, events.slice(0, 1), [], ui).kind).toBe('monitoring');
  });
});

describe('pickTodaysSession', () => {
  it('prefers a live session, then one ended today, then the nearest scheduled one', () => {
    const scheduled = session({ id: 'next', scheduledFor: '2026-11-27T09:00:00Z' });
    const ended = session({ id: 'ended', state: 'ended', endedAt: '2026-11-26T08:00:00Z' });
    const old = session({ id: 'old', state: 'ended', endedAt: '2026-11-20T08:00:00Z' });
    const live = session({ id: 'live', state: 'monitoring' });
    expect(pickTodaysSession([scheduled, ended, live], NOW)?.id).toBe('live');
    expect(pickTodaysSession([scheduled, ended], NOW)?.id).toBe('ended');
    expect(pickTodaysSession([old, scheduled], NOW)?.id).toBe('next');
    expect(pickTodaysSession([old], NOW)).toBeNull();
  });

  it('opens a session due today even right after another one ended (the demo patient1)', () => {
    const ended = session({ id: 'ended', state: 'aborted', endedAt: '2026-11-26T09:55:00Z' });
    const today = session({ id: 'today', scheduledFor: '2026-11-26T11:00:00Z' });
    const live = session({ id: 'live', state: 'monitoring' });
    expect(pickTodaysSession([ended, today], NOW)?.id).toBe('today');
    expect(pickTodaysSession([today, live], NOW)?.id).toBe('live');
  });
});
