import type { SessionEvent } from '@vigil/contracts';
import { DEFAULT_ORAL_PROTOCOL } from '@vigil/clinical';
import { buildRemsReport, type RemsInput } from './rems-report';

const DOSE = Date.parse('2026-12-01T10:00:00.000Z');
const MIN = 60_000;

function vitals(seq: number, atMs: number, kind: string, value: number): SessionEvent {
  const at = new Date(atMs).toISOString();
  return {
    sessionId: 's1',
    seq,
    type: 'vitals.recorded',
    at,
    actorId: null,
    data: { readings: [{ kind, value, measuredAt: at, source: 'manual' }] },
  } as unknown as SessionEvent;
}

function report(events: SessionEvent[], overrides: RemsInput['overrides'] = []) {
  return buildRemsReport({
    session: {
      id: 's1',
      patient: { id: 'p1', name: 'Pat' },
      clinician: { id: 'c1', name: 'Dr' },
      protocol: { name: 'oral', version: 2 },
      state: 'ended',
      outcome: 'signed_off',
      scheduledFor: null,
      dosedAt: new Date(DOSE).toISOString(),
      endedAt: new Date(DOSE + 130 * MIN).toISOString(),
    },
    events,
    alerts: { high: 0, medium: 0, low: 0, info: 0 },
    protocol: DEFAULT_ORAL_PROTOCOL,
    overrides,
    names: new Map(),
    now: new Date(DOSE + 140 * MIN),
  }).respiratoryDepression;
}

describe('REMS respiratory depression, judged as the alert rules judge', () => {
  // CLINICAL.md v2 "Precision": rules use readings rounded to whole numbers.
  it.each([
    ['spo2', 91.4, true],
    ['spo2', 91.5, false],
    ['resp_rate', 8.4, true],
    ['resp_rate', 8.5, false],
  ] as const)('%s %d (rounded) occurred: %s', (kind, value, occurred) => {
    expect(report([vitals(1, DOSE + 30 * MIN, kind, value)]).occurred).toBe(occurred);
  });

  it('reports the lowest reading rounded', () => {
    expect(report([vitals(1, DOSE + 30 * MIN, 'spo2', 93.6)]).lowestSpo2).toBe(94);
  });

  it("judges each reading by the patient's limit in force when it was taken", () => {
    const spo2Low93 = {
      setting: 'spo2Low',
      value: 93,
      from: DOSE + 20 * MIN,
      until: DOSE + 40 * MIN,
    };
    // 92 at 30 min, under the override of 93 then: occurred, the limit printed is 93.
    expect(report([vitals(1, DOSE + 30 * MIN, 'spo2', 92)], [spo2Low93])).toMatchObject({
      occurred: true,
      limits: { spo2: 93, respRate: 8 },
    });
    // 92 at 50 min, after the override was cleared: the protocol's 91 again.
    expect(report([vitals(1, DOSE + 50 * MIN, 'spo2', 92)], [spo2Low93])).toMatchObject({
      occurred: false,
      limits: { spo2: 91 },
    });
  });

  it("judges a phone's reading at when it was made by the server clock, not by the phone's own", () => {
    const spo2Low93 = {
      setting: 'spo2Low',
      value: 93,
      from: DOSE + 20 * MIN,
      until: DOSE + 40 * MIN,
    };
    // Made at 30 min under the override of 93, on a phone 15 min fast (sent at once, v1.14): its
    // measuredAt says 45 min, after the override was cleared.
    const event = vitals(1, DOSE + 30 * MIN, 'spo2', 92);
    const data = event.data as { readings: Array<Record<string, unknown>> };
    data.readings = [
      { ...data.readings[0], measuredAt: new Date(DOSE + 45 * MIN).toISOString(), waitedMs: 0 },
    ];
    expect(report([event], [spo2Low93])).toMatchObject({ occurred: true, limits: { spo2: 93 } });
  });
});
