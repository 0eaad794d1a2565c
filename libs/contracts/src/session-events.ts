import { z } from 'zod';
import {
  ALERT_PRIORITIES,
  READING_KINDS,
  READING_SOURCES,
  SESSION_STATES,
  SESSION_EVENT_TYPES,
  SYMPTOM_CODES,
  type SessionEventType,
} from './domain';
import { DEVICE_KINDS } from './devices';

/**
 * The session log, typed: one zod schema for the `data` of each event type. Events are parsed
 * once where they enter a program (read from `session_events`, received by the dashboard), and
 * every reader after that switches on `type` and reads typed fields.
 *
 * The objects are loose (unknown keys are kept): an event carries the fields its readers need,
 * typed here, and may carry more (details for the audit trail, later additive fields). Fields
 * that older events may lack are optional; the writers (typed by the same schemas) always
 * write them.
 */
const priority = z.enum(ALERT_PRIORITIES);
const state = z.enum(SESSION_STATES);

const readingData = z.looseObject({
  kind: z.enum(READING_KINDS),
  value: z.number(),
  measuredAt: z.string(),
  source: z.enum(READING_SOURCES).optional(),
  /**
   * v1.14: how long it waited on the phone before the send that stored it (`withOutboxWaits`);
   * absent when the submission carried no `sentAt`. NEWS2 ages it from `at - waitedMs`.
   */
  waitedMs: z.number().optional(),
});

const readingDeviceData = z.looseObject({
  id: z.string(),
  kind: z.enum(DEVICE_KINDS),
  manufacturer: z.string(),
  model: z.string(),
  via: z.enum(['fhir', 'socket']),
});

const alertRef = {
  alertId: z.string(),
  condition: z.string().optional(),
  priority: priority.optional(),
  /** Who acted, for actions taken by a person. */
  by: z.string().optional(),
};

const alertRaisedData = z.looseObject({
  alertId: z.string(),
  priority,
  condition: z.string(),
  message: z.string(),
  since: z.string().optional(),
  value: z.number().optional(),
  limit: z.number().optional(),
  /** Help presses or symptom reports so far (latched conditions). */
  count: z.number().optional(),
});

const gateReason = z.looseObject({ code: z.string(), message: z.string() });
const nullableNumber = z.number().nullable().optional();
const nullableBoolean = z.boolean().nullable().optional();

export const SESSION_EVENT_DATA = {
  'checkin.recorded': z.looseObject({
    moaas: z.number().optional(),
    dissociation: z.number().optional(),
    nausea: z.number().optional(),
    anxiety: z.number().optional(),
    symptoms: z.array(z.enum(SYMPTOM_CODES)).optional(),
    note: z.string().optional(),
    takenAt: z.string().optional(),
    /** v1.10: how long it waited on the phone before the send that stored it (`checkInMadeAt`). */
    waitedMs: z.number().optional(),
  }),
  'vitals.recorded': z.looseObject({
    readings: z.array(readingData),
    /** v1.2: the paired device that streamed the readings. */
    device: readingDeviceData.optional(),
  }),
  'help.requested': z.looseObject({ note: z.string().optional() }),
  'alert.raised': alertRaisedData,
  /**
   * v1.1: the same fields for the same alertId when an open or acknowledged alert changes.
   * `reopened: true` when it is open again and must re-annunciate; `previousPriority` names the
   * priority before a rise.
   */
  'alert.updated': alertRaisedData.extend({
    reason: z.enum(['value', 'priority', 'repeated', 'reopened']),
    previousPriority: priority,
    reopened: z.literal(true).optional(),
  }),
  'alert.acknowledged': z.looseObject({ ...alertRef, note: z.string().optional() }),
  'alert.escalated': z.looseObject({
    ...alertRef,
    message: z.string().optional(),
    step: z.string().optional(),
    to: z.string().optional(),
    escalationCount: z.number().optional(),
    unacknowledgedSeconds: z.number().optional(),
  }),
  'alert.resolved': z.looseObject({
    ...alertRef,
    /** True when the engine resolved it (the condition cleared), not a person. */
    auto: z.boolean().optional(),
    reason: z.string().optional(),
    note: z.string().optional(),
  }),
  'alert.silenced': z.looseObject({
    ...alertRef,
    minutes: z.number().optional(),
    silencedUntil: z.string(),
  }),
  'session.state_changed': z.looseObject({
    from: state.optional(),
    to: state,
    reason: z.string().optional(),
    /** The pre-dose gate's status, or the gate a clinician's override lifted. */
    gate: z.string().optional(),
    dosedAt: z.string().optional(),
    /** The dose taken, on the change to `dosed`. */
    dose: z
      .looseObject({
        mg: z.number().optional(),
        /** An older spelling of `mg`. */
        doseMg: z.number().optional(),
        route: z.string().optional(),
        takenAt: z.string().optional(),
        lot: z.string().optional(),
      })
      .optional(),
    /** A clinician's override of a gate, with the reason given. */
    override: z
      .looseObject({
        by: z.string().optional(),
        reason: z.string().optional(),
        at: z.string().optional(),
      })
      .optional(),
    endedAt: z.string().optional(),
    /** The end checklist, on the change to `ended`. */
    items: z
      .array(z.looseObject({ code: z.string(), ok: z.boolean(), message: z.string() }))
      .optional(),
    readyToLeaveMinutes: z.number().nullable().optional(),
  }),
  'note.added': z.looseObject({ text: z.string() }),
  'message.sent': z.looseObject({
    text: z.string(),
    fromRole: z.string(),
    fromName: z.string(),
  }),
  'presence.changed': z.looseObject({
    presence: z.enum(['online', 'silent']),
    lastSeenAt: z.string().optional(),
  }),
  'screening.submitted': z.looseObject({
    sbp: nullableNumber,
    dbp: nullableNumber,
    hr: nullableNumber,
    spo2: nullableNumber,
    supportPerson: z
      .looseObject({
        adult: z.boolean(),
        presentWholeSession: z.boolean(),
        name: z.string().optional(),
        phone: z.string().optional(),
      })
      .nullable()
      .optional(),
    fasting: nullableBoolean,
    noRecentSubstances: nullableBoolean,
    concomitantBpRaisingMeds: nullableBoolean,
    phq9: z.array(z.number()).nullable().optional(),
    gad7: z.array(z.number()).nullable().optional(),
    moaasBaseline: nullableNumber,
    note: z.string().optional(),
    /** The pre-dose gate's answer to this screening. */
    gate: z
      .looseObject({
        status: z.enum(['go', 'caution', 'no_go', 'incomplete']),
        reasons: z.array(gateReason),
        flags: z.array(z.string()).optional(),
        overridable: z.boolean().optional(),
        phq9Total: z.number().nullable().optional(),
        gad7Total: z.number().nullable().optional(),
        remeasureAfter: z.string().optional(),
        clinicianClearanceRequired: z.literal(true).optional(),
      })
      .optional(),
  }),
  'protocol.overridden': z.looseObject({
    setting: z.string(),
    value: z.number().nullable(),
    previous: z.number().nullable(),
    reason: z.string(),
    by: z.string(),
  }),
} satisfies Record<SessionEventType, z.ZodType>;

/**
 * The parsed data without the loose objects' `[key: string]: unknown`: readers see the typed
 * fields only (a field worth reading is worth naming in its schema), and writers may pass
 * interfaces such as `Reading`, which an index signature would refuse.
 */
type Known<T> = T extends readonly (infer U)[]
  ? readonly Known<U>[]
  : T extends object
    ? { [K in keyof T as string extends K ? never : K]: Known<T[K]> }
    : T;

export type SessionEventData<T extends SessionEventType> = Known<
  z.infer<(typeof SESSION_EVENT_DATA)[T]>
>;

/** What a writer appends: a type and the data of that type. */
export type SessionEventBody = {
  [T in SessionEventType]: { type: T; data: SessionEventData<T> };
}[SessionEventType];

interface SessionEventEnvelope {
  sessionId: string;
  seq: number;
  /** Server commit time, ISO 8601. */
  at: string;
  actorId: string | null;
}

/** One committed event of a given type. */
export type SessionEventOf<T extends SessionEventType> = SessionEventEnvelope & {
  type: T;
  data: SessionEventData<T>;
};

/** One committed event of the session log: a discriminated union on `type`. */
export type SessionEvent = { [T in SessionEventType]: SessionEventOf<T> }[SessionEventType];

export type AlertRaisedData = SessionEventData<'alert.raised'>;
export type AlertUpdatedData = SessionEventData<'alert.updated'>;

/** The events of one type, typed as that type. */
export function eventsOf<T extends SessionEventType>(
  events: readonly SessionEvent[],
  type: T,
): Array<Extract<SessionEvent, { type: T }>> {
  return events.filter((e): e is Extract<SessionEvent, { type: T }> => e.type === type);
}

const envelopeSchema = z.object({
  sessionId: z.string(),
  seq: z.number().int(),
  type: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  data: z.unknown(),
});

export type ParsedSessionEvent = { ok: true; event: SessionEvent } | { ok: false; error: string };

const isEventType = (type: string): type is SessionEventType =>
  (SESSION_EVENT_TYPES as readonly string[]).includes(type);

/** Parses the data of one event of a known type, naming the first field that does not fit. */
export function parseSessionEventData(
  type: SessionEventType,
  data: unknown,
): { ok: true; body: SessionEventBody } | { ok: false; error: string } {
  const result = SESSION_EVENT_DATA[type].safeParse(data);
  if (!result.success) return { ok: false, error: describeDataIssues(type, result.error) };
  // The schema chosen by `type` accepted `data`, so the pair is that member of the union.
  return { ok: true, body: { type, data: result.data } as unknown as SessionEventBody };
}

/** Parses one event from outside the program (a database row mapped to this shape, the wire). */
export function parseSessionEvent(raw: unknown): ParsedSessionEvent {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) {
    return { ok: false, error: `session event: ${envelope.error.issues[0]?.message ?? 'invalid'}` };
  }
  const { type, data, ...rest } = envelope.data;
  if (!isEventType(type)) return { ok: false, error: `session event: unknown type ${type}` };
  const body = parseSessionEventData(type, data);
  if (!body.ok) return { ok: false, error: `seq ${rest.seq}: ${body.error}` };
  return { ok: true, event: { ...rest, ...body.body } };
}

function describeDataIssues(type: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue ? issue.path.map(String).join('.') : '';
  return `${type} data${path ? `.${path}` : ''}: ${issue?.message ?? 'invalid'}`;
}

/**
 * How long a check-in (v1.10) or a reading (v1.14) waited in the phone's outbox, from the phone's
 * own `takenAt` or `measuredAt` and `sentAt`: both by its clock, so that clock's offset cancels.
 * Null when either is missing or unreadable; 0 when the clock went back between them.
 */
export function outboxWaitMs(
  takenAt: string | undefined,
  sentAt: string | undefined,
): number | null {
  if (takenAt === undefined || sentAt === undefined) return null;
  const waited = Date.parse(sentAt) - Date.parse(takenAt);
  return Number.isFinite(waited) ? Math.max(0, waited) : null;
}

/**
 * The readings of a vitals submission with how long each waited on the phone (v1.14), from its
 * `measuredAt` and the submission's `sentAt`, both by the phone's clock (`outboxWaitMs`). Without
 * `sentAt` they are returned as they came: such a reading counts from its arrival.
 */
export function withOutboxWaits<R extends { measuredAt: string }>(
  readings: readonly R[],
  sentAt: string | undefined,
): Array<R & { waitedMs?: number }> {
  return readings.map((r) => {
    const waitedMs = outboxWaitMs(r.measuredAt, sentAt);
    return waitedMs === null ? r : { ...r, waitedMs };
  });
}

/**
 * When a check-in was made, by the server's clock (epoch ms): its arrival less the time it waited
 * on the phone. A check-in held 10 minutes by a poor network counts for the 15-minute schedule
 * from when the patient answered it, not from when it got through.
 */
export function checkInMadeAt(at: string, data: { waitedMs?: number }): number {
  const waited = data.waitedMs;
  const arrived = Date.parse(at);
  return typeof waited === 'number' && Number.isFinite(waited) && waited > 0
    ? arrived - waited
    : arrived;
}
