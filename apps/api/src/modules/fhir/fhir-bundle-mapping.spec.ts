import type { Communication, Observation, Task } from 'fhir/r4';
import type { AlertSummary, SessionEvent } from '@vigil/contracts';
import { buildSessionBundle, type FhirSessionInput } from './fhir-bundle';

const SESSION = '11111111-1111-4111-8111-111111111111';
const PATIENT = '22222222-2222-4222-8222-222222222222';
const PATIENT_USER = '33333333-3333-4333-8333-333333333333';
const CLIN = '44444444-4444-4444-8444-444444444444';
const T = (min: number) =>
  new Date(Date.parse('2026-11-20T09:00:00Z') + min * 60_000).toISOString();

function alert(over: Partial<AlertSummary>): AlertSummary {
  return {
    id: '55555555-5555-4555-8555-555555555555',
    sessionId: SESSION,
    condition: 'device_offline',
    priority: 'low',
    status: 'open',
    message: 'No heartbeat for 60 s',
    raisedSeq: 3,
    raisedAt: T(10),
    updatedAt: T(10),
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    resolutionNote: null,
    silencedUntil: null,
    lastEscalatedAt: null,
    escalationCount: 0,
    ...over,
  };
}

function input(events: SessionEvent[], alerts: AlertSummary[]): FhirSessionInput {
  return {
    session: {
      id: SESSION,
      state: 'ended',
      scheduledFor: null,
      dosedAt: T(0),
      endedAt: T(130),
      patient: { id: PATIENT, userId: PATIENT_USER, name: 'Pat A' },
      clinician: { id: CLIN, name: 'Dr Ada' },
    },
    events,
    alerts,
    audit: [],
    staff: new Map([[CLIN, 'Dr Ada']]),
    generatedAt: T(200),
  };
}

const ev = (seq: number, type: string, at: string, data: unknown, actorId: string | null = null) =>
  ({ sessionId: SESSION, seq, type, at, actorId, data }) as SessionEvent;

const of = <R>(bundle: ReturnType<typeof buildSessionBundle>, type: string) =>
  (bundle.entry ?? []).map((e) => e.resource).filter((r) => r?.resourceType === type) as R[];

describe('FHIR export: alert mapping (CLINICAL.md interoperability, API.md FHIR Bundle)', () => {
  it('gives the Task to acknowledge a low (technical) alert the same routine priority as its Communication', () => {
    const bundle = buildSessionBundle(input([], [alert({})]));
    const [comm] = of<Communication>(bundle, 'Communication');
    const [task] = of<Task>(bundle, 'Task');
    expect(comm.priority).toBe('routine');
    // CLINICAL.md: low = awareness; the work it asks for is not urgent.
    expect(task.priority).toBe(comm.priority);
  });

  it("does not leave an escalation Task 'requested' once its alert was resolved by the session's end", () => {
    const a = alert({
      id: '66666666-6666-4666-8666-666666666666',
      condition: 'help',
      priority: 'high',
      status: 'resolved',
      message: 'Help button pressed',
      raisedSeq: 5,
      resolvedAt: T(130),
      resolvedBy: CLIN,
      resolutionNote: 'session ended',
      lastEscalatedAt: T(12),
      escalationCount: 1,
    });
    const events = [
      ev(5, 'alert.raised', T(10), {
        alertId: a.id,
        priority: 'high',
        condition: 'help',
        message: a.message,
      }),
      ev(6, 'alert.escalated', T(12), {
        alertId: a.id,
        priority: 'high',
        condition: 'help',
        step: 'escalate',
        to: 'supervisor',
        escalationCount: 1,
      }),
      ev(7, 'alert.resolved', T(130), {
        alertId: a.id,
        auto: false,
        reason: 'session ended',
        by: CLIN,
      }),
    ];
    const tasks = of<Task>(buildSessionBundle(input(events, [a])), 'Task');
    const ack = tasks.find((t) => t.code?.text === 'Acknowledge alert');
    const escalation = tasks.find((t) => t.businessStatus?.text === 'escalate');
    expect(ack?.status).toBe('cancelled');
    // The session is over and the alert resolved: no work is outstanding for the supervisor.
    expect(escalation?.status).not.toBe('requested');
  });

  it('points a pre-dose no-go alert at the screening BP Observation that raised it', () => {
    const a = alert({
      id: '77777777-7777-4777-8777-777777777777',
      condition: 'predose_no_go',
      priority: 'medium',
      message: 'BP 172/96 >= 160/100: dose blocked',
      raisedSeq: 3,
    });
    const events = [
      ev(2, 'screening.submitted', T(-20), { sbp: 172, dbp: 96, hr: 80, spo2: 97 }, PATIENT_USER),
      ev(3, 'alert.raised', T(-20), {
        alertId: a.id,
        priority: 'medium',
        condition: 'predose_no_go',
        message: a.message,
      }),
    ];
    const bundle = buildSessionBundle(input(events, [a]));
    const bp = of<Observation>(bundle, 'Observation').find((o) =>
      o.code.coding?.some((c) => c.code === '85354-9'),
    );
    expect(bp).toBeDefined();
    const [comm] = of<Communication>(bundle, 'Communication');
    // API.md: "one Communication per alert (... `about` the observation that raised it ...)".
    expect(comm.about?.[0].reference).toBe(`urn:uuid:${bp?.id}`);
  });

  it("makes an escalation Task the acknowledger's, from the step to the acknowledgement", () => {
    const a = alert({
      condition: 'spo2_low',
      priority: 'high',
      status: 'acknowledged',
      message: 'SpO2 90 <= 91',
      raisedSeq: 4,
      acknowledgedAt: T(13),
      acknowledgedBy: CLIN,
      escalationCount: 1,
    });
    const events = [
      ev(4, 'alert.raised', T(10), {
        alertId: a.id,
        priority: 'high',
        condition: 'spo2_low',
        message: a.message,
      }),
      ev(5, 'alert.escalated', T(12), { alertId: a.id, step: 'escalate', to: 'supervisor' }),
    ];
    const tasks = of<Task>(buildSessionBundle(input(events, [a])), 'Task');
    const escalation = tasks.find((t) => t.businessStatus?.text === 'escalate');
    expect(escalation).toMatchObject({
      status: 'completed',
      priority: 'stat',
      owner: { reference: `urn:uuid:${CLIN}`, display: 'Dr Ada' },
      executionPeriod: { start: T(12), end: T(13) },
    });
    expect(tasks.map((t) => t.priority)).toEqual(['stat', 'stat']);
  });

  it("withdraws (cancels) an escalation Task whose alert the session's end resolved", () => {
    const a = alert({
      priority: 'medium',
      condition: 'checkin_overdue',
      status: 'resolved',
      resolutionNote: 'session aborted',
    });
    const events = [ev(4, 'alert.escalated', T(15), { alertId: a.id, step: 'escalate' })];
    const tasks = of<Task>(buildSessionBundle(input(events, [a])), 'Task');
    expect(tasks.map((t) => [t.status, t.priority, t.owner])).toEqual([
      ['cancelled', 'urgent', undefined],
      ['cancelled', 'urgent', undefined],
    ]);
  });

  it('points a no-go at every vital of the screening the gate judged, not a later device reading', () => {
    const a = alert({
      condition: 'predose_no_go',
      priority: 'medium',
      message: 'HR 104 (no-go 100)',
      raisedSeq: 4,
    });
    const events = [
      ev(2, 'screening.submitted', T(-20), { sbp: 120, dbp: 80, hr: 104, spo2: 97 }, PATIENT_USER),
      ev(3, 'vitals.recorded', T(-20), {
        readings: [{ kind: 'heart_rate', value: 99, measuredAt: T(-20), source: 'device' }],
      }),
    ];
    const bundle = buildSessionBundle(input(events, [a]));
    const screened = of<Observation>(bundle, 'Observation')
      .filter((o) => o.effectiveDateTime === T(-20) && o.valueQuantity?.value !== 99)
      .map((o) => `urn:uuid:${o.id}`);
    expect(screened).toHaveLength(3);
    const [comm] = of<Communication>(bundle, 'Communication');
    expect(comm.about?.map((r) => r.reference)).toEqual(screened);
  });

  it('points a NEWS2 single-parameter alert at the parameters its message names', () => {
    const a = alert({
      condition: 'news2_single_3',
      priority: 'medium',
      message: 'Temp 34.8 °C (NEWS2 3)',
      raisedSeq: 3,
    });
    const events = [
      ev(2, 'vitals.recorded', T(5), {
        readings: [
          { kind: 'heart_rate', value: 70, measuredAt: T(5), source: 'manual' },
          { kind: 'temperature', value: 34.8, measuredAt: T(5), source: 'manual' },
        ],
      }),
    ];
    const bundle = buildSessionBundle(input(events, [a]));
    const temp = of<Observation>(bundle, 'Observation').find(
      (o) => o.valueQuantity?.unit === 'Cel',
    );
    const [comm] = of<Communication>(bundle, 'Communication');
    expect(comm.about).toEqual([{ reference: `urn:uuid:${temp?.id}` }]);
  });
});
