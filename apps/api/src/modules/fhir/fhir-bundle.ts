import type {
  AuditEvent,
  Bundle,
  Communication,
  Encounter,
  FhirResource,
  Patient,
  Practitioner,
  Reference,
  Task,
} from 'fhir/r4';
import { news2ParametersNamed, type News2Parameter } from '@vigil/clinical';
import type { AlertSummary, SessionEvent, SessionEventOf, SessionState } from '@vigil/contracts';
import type { AuditTrailEntry } from '../audit/audit-log.service';
import {
  ACT_CODE,
  AUDIT_EVENT_TYPE,
  COMMUNICATION_CATEGORY,
  scalesCodeSystem,
  TASK_CODE,
  VIGIL_ALERT_CONDITIONS,
  VIGIL_AUDIT_ACTIONS,
  VIGIL_SESSION_ID,
} from './fhir-codes';
import { stableUuid, urn } from './fhir-ids';
import { clinicalResources, type FhirScope, type ObservationIndex } from './fhir-observations';

export interface FhirSessionInput {
  session: {
    id: string;
    state: SessionState;
    scheduledFor: string | null;
    dosedAt: string | null;
    endedAt: string | null;
    patient: { id: string; userId: string; name: string };
    clinician: { id: string; name: string };
  };
  events: readonly SessionEvent[];
  alerts: readonly AlertSummary[];
  audit: readonly AuditTrailEntry[];
  /** Names of every staff user the record mentions (acknowledgers, auditors). */
  staff: ReadonlyMap<string, string>;
  generatedAt: string;
}

const PRIORITY: Record<AlertSummary['priority'], Communication['priority']> = {
  high: 'stat',
  medium: 'urgent',
  low: 'routine',
  info: 'routine',
};

/**
 * Which observations an alert condition is about: the latest of each kind logged before it was
 * raised (a condition with none is about the encounter).
 */
const CONDITION_KINDS: Record<string, readonly string[]> = {
  sbp_high: ['bp'],
  dbp_high: ['bp'],
  sbp_rise: ['bp'],
  dbp_rise: ['bp'],
  predose_caution: ['bp'],
  // The gate judges the screening's BP, heart rate and SpO2 together, and any of them can block.
  predose_no_go: ['screening:bp', 'screening:heart_rate', 'screening:spo2'],
  hr_high: ['heart_rate'],
  spo2_low: ['spo2'],
  rr_low: ['resp_rate'],
  moaas_low: ['moaas'],
  sedation: ['moaas'],
};

/** The observation a NEWS2 parameter was scored from (oxygen given is not an observation here). */
const NEWS2_PARAMETER_KIND: Record<News2Parameter, string | null> = {
  resp_rate: 'resp_rate',
  spo2: 'spo2',
  supplemental_oxygen: null,
  systolic_bp: 'bp',
  pulse: 'heart_rate',
  consciousness: 'moaas',
  temperature: 'temperature',
};

function aboutKinds(a: AlertSummary): readonly string[] {
  // One alert for every parameter scoring 3: only its message says which.
  if (a.condition === 'news2_single_3')
    return news2ParametersNamed(a.message).flatMap((p) => NEWS2_PARAMETER_KIND[p] ?? []);
  return CONDITION_KINDS[a.condition] ?? [];
}

function encounterStatus(s: FhirSessionInput['session']): Encounter['status'] {
  if (s.state === 'scheduled') return 'planned';
  if (s.state === 'ended') return 'finished';
  if (s.state === 'aborted') return s.dosedAt ? 'finished' : 'cancelled';
  return 'in-progress';
}

const AUDIT_OUTCOME: Record<string, AuditEvent['outcome']> = {
  success: '0',
  denied: '4',
  error: '8',
};

/** R: a read; E: anything else the API executed on the session's behalf. */
const auditVerb = (action: string): AuditEvent['action'] =>
  /(\.read|\.list|\.watch|\.search|\.export)$/.test(action) || action.endsWith('.events.read')
    ? 'R'
    : 'E';

/**
 * One session as a FHIR R4 collection Bundle: Encounter, Patient, Practitioners, vitals and score
 * Observations, QuestionnaireResponses, alerts as Communications, acknowledgements and
 * escalations as Tasks, and the access trail as AuditEvents. Ids are stable across exports.
 */
export function buildSessionBundle(input: FhirSessionInput): Bundle {
  const { session } = input;
  const encounterId = session.id;
  const patientId = session.patient.id;
  const patientRef: Reference = { reference: urn(patientId), display: session.patient.name };
  const encounterRef: Reference = { reference: urn(encounterId) };
  const staff = new Map(input.staff);
  staff.set(session.clinician.id, session.clinician.name);
  const practitionerRef = (id: string): Reference => ({
    reference: urn(id),
    display: staff.get(id) ?? undefined,
  });
  const actor = (userId: string | null): Reference | undefined => {
    if (!userId) return undefined;
    if (userId === session.patient.userId) return patientRef;
    return staff.has(userId) ? practitionerRef(userId) : undefined;
  };
  const scope: FhirScope = {
    sessionId: session.id,
    patient: patientRef,
    encounter: encounterRef,
    actor,
  };

  const patient: Patient = {
    resourceType: 'Patient',
    id: patientId,
    name: [{ text: session.patient.name }],
  };
  const practitioners: Practitioner[] = [...staff].map(([id, name]) => ({
    resourceType: 'Practitioner',
    id,
    name: [{ text: name }],
  }));
  const encounter: Encounter = {
    resourceType: 'Encounter',
    id: encounterId,
    identifier: [{ system: VIGIL_SESSION_ID, value: session.id }],
    status: encounterStatus(session),
    class: { system: ACT_CODE, code: 'HH', display: 'home health' },
    type: [{ text: 'Supervised home oral ketamine session' }],
    subject: patientRef,
    participant: [{ individual: practitionerRef(session.clinician.id) }],
    period: {
      start: session.dosedAt ?? session.scheduledFor ?? undefined,
      end: session.endedAt ?? undefined,
    },
  };

  const clinical = clinicalResources(scope, input.events);
  const communications = input.alerts.map((a) => communication(a, scope, clinical.index));
  const tasks = input.alerts.flatMap((a) => alertTasks(a, input.events, scope, practitionerRef));
  const audits = input.audit.map((row) => auditEvent(row, session.id, encounterRef, actor));

  const resources: FhirResource[] = [
    encounter,
    patient,
    ...practitioners,
    scalesCodeSystem(stableUuid('vigil-scales-code-system')),
    ...clinical.resources,
    ...communications,
    ...tasks,
    ...audits,
  ];
  return {
    resourceType: 'Bundle',
    id: stableUuid(session.id, 'bundle', input.generatedAt),
    type: 'collection',
    timestamp: input.generatedAt,
    entry: resources.map((resource) => ({ fullUrl: urn(resource.id ?? ''), resource })),
  };
}

function communication(
  a: AlertSummary,
  scope: FhirScope,
  index: ObservationIndex[],
): Communication {
  // Log order, not clocks: the observations that raised it were logged before alert.raised.
  const latest = (kind: string) =>
    index.filter((o) => o.kind === kind && o.seq < a.raisedSeq).sort((x, y) => y.seq - x.seq)[0];
  const about = aboutKinds(a).flatMap((kind) => latest(kind)?.ref ?? []);
  return {
    resourceType: 'Communication',
    id: a.id,
    status: 'completed',
    category: [{ coding: [{ system: COMMUNICATION_CATEGORY, code: 'alert', display: 'Alert' }] }],
    priority: PRIORITY[a.priority],
    subject: scope.patient,
    encounter: scope.encounter,
    about: about.length > 0 ? about : [scope.encounter],
    sent: a.raisedAt,
    reasonCode: [
      { coding: [{ system: VIGIL_ALERT_CONDITIONS, code: a.condition }], text: a.message },
    ],
    payload: [{ contentString: a.message }],
  };
}

/**
 * The work an alert asked for: one Task to acknowledge it, one per escalation step. Acknowledging
 * does what each step asked for; a resolve without one (the condition cleared, or the session
 * ended or was aborted: no alert outlives its session) withdraws it.
 */
function alertTasks(
  a: AlertSummary,
  events: readonly SessionEvent[],
  scope: FhirScope,
  practitionerRef: (id: string) => Reference,
): Task[] {
  const focus = { reference: urn(a.id) };
  const base = {
    resourceType: 'Task' as const,
    intent: 'order' as const,
    focus,
    for: scope.patient,
    encounter: scope.encounter,
    authoredOn: a.raisedAt,
    priority: PRIORITY[a.priority],
    status: a.acknowledgedAt ? 'completed' : a.status === 'resolved' ? 'cancelled' : 'requested',
  } satisfies Partial<Task>;
  const done = (start: string): Partial<Task> =>
    a.acknowledgedAt
      ? {
          executionPeriod: { start, end: a.acknowledgedAt },
          lastModified: a.acknowledgedAt,
          ...(a.acknowledgedBy ? { owner: practitionerRef(a.acknowledgedBy) } : {}),
        }
      : {};
  const ack: Task = {
    ...base,
    id: stableUuid(a.id, 'acknowledge'),
    code: { coding: [{ system: TASK_CODE, code: 'fulfill' }], text: 'Acknowledge alert' },
    description: a.message,
    ...done(a.raisedAt),
  };
  const escalations = events.filter(
    (e): e is SessionEventOf<'alert.escalated'> =>
      e.type === 'alert.escalated' && e.data.alertId === a.id,
  );
  const escalationTasks = escalations.map((e): Task => ({
    ...base,
    id: stableUuid(a.id, 'escalate', e.seq),
    businessStatus: { text: e.data.step ?? 'escalate' },
    code: {
      coding: [{ system: TASK_CODE, code: 'fulfill' }],
      text: 'Escalated to the supervisor on duty',
    },
    authoredOn: e.at,
    ...done(e.at),
  }));
  return [ack, ...escalationTasks];
}

function auditEvent(
  row: FhirSessionInput['audit'][number],
  sessionId: string,
  encounter: Reference,
  actor: (userId: string | null) => Reference | undefined,
): AuditEvent {
  const who = actor(row.actorId) ?? { display: row.actorRole ?? 'system' };
  return {
    resourceType: 'AuditEvent',
    id: stableUuid(sessionId, 'audit', row.seq),
    type: { system: AUDIT_EVENT_TYPE, code: 'rest', display: 'RESTful Operation' },
    subtype: [{ system: VIGIL_AUDIT_ACTIONS, code: row.action }],
    action: auditVerb(row.action),
    recorded: row.at,
    outcome: AUDIT_OUTCOME[row.outcome] ?? '8',
    agent: [
      {
        who,
        requestor: true,
        ...(row.sourceIp ? { network: { address: row.sourceIp, type: '2' as const } } : {}),
      },
    ],
    source: { observer: { display: 'Vigil API' } },
    entity: [{ what: encounter }],
  };
}
