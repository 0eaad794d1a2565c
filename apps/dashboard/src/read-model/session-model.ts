import type { ReadingKind, ReadingSource, SessionEvent, SessionEventOf } from '@vigil/contracts';
import {
  checkInMadeAt,
  READING_KINDS,
  readingMadeAt,
  readingRank,
  replacesLatest,
  type WatchReadings,
} from '@vigil/contracts';
import { applyAlertEvent, type AlertRecord } from './alert-records';
import { VitalLog, type VitalPoint } from './vital-log';

export type { AlertRecord } from './alert-records';

/**
 * Everything the clinician's screens show about one session, folded from its event log. The log
 * is the truth (gapless, in seq order, resynced by live-connection), so the board, the session
 * view and the alarms all agree with each other and with the server.
 */
export interface LatestValue {
  value: number;
  measuredAt: string;
  /** v1.1: absent means a device (the contract's default). */
  source?: ReadingSource;
  /** When it counts as taken for "latest": its measuredAt, but never after it was committed. */
  rank?: number;
  /** When the server committed it (its event's `at`): NEWS2 ages it from then (news2-input.ts). */
  committedAt?: string;
  /** v1.14: how long it waited on the phone before it was sent; NEWS2 ages it from before then. */
  waitedMs?: number;
}

/**
 * When a latest value was taken, as its age and staleness count it (epoch ms): its measuredAt,
 * but never after the server committed it. A device clock ahead (the server takes up to 60 s)
 * would otherwise keep a stream that has stopped looking fresh for that long.
 */
export function countedAt(v: LatestValue): number {
  return v.rank ?? Date.parse(v.measuredAt);
}

export interface CheckInRecord {
  seq: number;
  at: string;
  moaas?: number;
  dissociation?: number;
  nausea?: number;
  anxiety?: number;
  symptoms?: string[];
  note?: string;
  takenAt?: string;
}

export interface GateSummary {
  status: string;
  reasons: { code: string; message: string }[];
  /** v1.1: after a no-go, the patient may measure again from this time. */
  remeasureAfter?: string;
  /** v1.1: the session has had a no-go: only the clinician clears the dose. */
  clinicianClearanceRequired?: boolean;
}

export interface ScreeningRecord {
  at: string;
  sbp?: number;
  dbp?: number;
  hr?: number;
  spo2?: number;
  moaasBaseline?: number;
  gate: GateSummary | null;
}

export interface OverrideRecord {
  at: string;
  gate: string;
  reason: string;
  by: string | null;
}

export interface DoseRecord {
  mg: number;
  route: string;
  takenAt: string;
}

export interface EndChecklistRecord {
  at: string;
  items: { code: string; ok: boolean; message: string }[];
  readyToLeaveMinutes: number | null;
}

/** v1.1 `protocol.overridden`: a per-patient setting set (or cleared: value null) while live. */
export interface ProtocolChangeRecord {
  seq: number;
  at: string;
  setting: string;
  value: number | null;
  previous: number | null;
  reason: string;
  by: string | null;
}

/** A clinical note on the session (`note.added`). */
export interface NoteRecord {
  seq: number;
  at: string;
  text: string;
  authorId: string | null;
}

/** One message between the patient's phone and the care team (`message.sent`). */
export interface MessageRecord {
  seq: number;
  at: string;
  text: string;
  fromRole: string;
  fromName: string;
}

export interface SessionModel {
  lastSeq: number;
  state: string | null;
  dosedAt: string | null;
  dose: DoseRecord | null;
  /** When the session ended or was aborted, and the reason given for an abort. */
  endedAt: string | null;
  endReason: string | null;
  latest: Partial<Record<ReadingKind, LatestValue>>;
  /**
   * The readings folded in: `all`, or the latest of each kind only (a board's watch, contract
   * v1.5), in which case `vitals` is not the session's history and charts must wait for it.
   */
  readings: WatchReadings;
  vitals: VitalLog;
  checkIns: CheckInRecord[];
  alerts: Readonly<Record<string, AlertRecord>>;
  presence: { status: 'online' | 'silent' | 'unknown'; lastSeenAt: string | null };
  screening: ScreeningRecord | null;
  /** Any screening in this session came back no-go (v2: the clinician must clear the dose). */
  hadNoGo: boolean;
  overrides: OverrideRecord[];
  endChecklist: EndChecklistRecord | null;
  helpRequests: { at: string; note?: string }[];
  notes: NoteRecord[];
  messages: MessageRecord[];
  protocolChanges: ProtocolChangeRecord[];
}

export function emptySessionModel(): SessionModel {
  return {
    lastSeq: 0,
    state: null,
    dosedAt: null,
    dose: null,
    endedAt: null,
    endReason: null,
    latest: {},
    readings: 'all',
    vitals: VitalLog.empty(),
    checkIns: [],
    alerts: {},
    presence: { status: 'unknown', lastSeenAt: null },
    screening: null,
    hadNoGo: false,
    overrides: [],
    endChecklist: null,
    helpRequests: [],
    notes: [],
    messages: [],
    protocolChanges: [],
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const isKind = (v: unknown): v is ReadingKind => (READING_KINDS as readonly unknown[]).includes(v);

/** Folds new events (seq order, after model.lastSeq) into a new model; the input is not changed. */
export function applyEvents(model: SessionModel, events: readonly SessionEvent[]): SessionModel {
  const next: SessionModel = {
    ...model,
    latest: { ...model.latest },
    // Copied when an alert event comes: a batch of readings keeps the same object, so what is
    // worked out from the alerts (the workspace's alert list) need not be again.
    alerts: model.alerts,
    vitals: model.vitals,
    checkIns: model.checkIns,
    overrides: model.overrides,
    helpRequests: model.helpRequests,
  };
  let alerts: Record<string, AlertRecord> | null = null;
  for (const event of events) {
    if (event.seq <= next.lastSeq) continue;
    next.lastSeq = event.seq;
    switch (event.type) {
      case 'vitals.recorded': {
        const added: VitalPoint[] = [];
        for (const r of event.data.readings as readonly unknown[]) {
          const reading = r as Record<string, unknown>;
          const value = num(reading.value);
          const measuredAt = str(reading.measuredAt) ?? event.at;
          if (!isKind(reading.kind) || value === undefined) continue;
          const source = reading.source === 'manual' ? ('manual' as const) : undefined;
          const waitedMs = num(reading.waitedMs);
          // A late upload of an older reading must not replace a newer one as "latest", and a
          // device clock far ahead (year 9999) must not pin the tile: the contract's rank, which
          // a board's backlog (`readings: 'latest'`) is cut by too.
          const rank = readingRank(measuredAt, event.at);
          const madeAt = readingMadeAt({ measuredAt, waitedMs }, event.at);
          added.push({ kind: reading.kind, value, measuredAt, madeAt, ...(source && { source }) });
          const prev = next.latest[reading.kind];
          if (!prev || replacesLatest(prev.rank ?? Date.parse(prev.measuredAt), rank))
            next.latest[reading.kind] = {
              value,
              measuredAt,
              rank,
              committedAt: event.at,
              ...(waitedMs !== undefined && { waitedMs }),
              ...(source && { source }),
            };
        }
        next.vitals = next.vitals.append(added);
        break;
      }
      case 'checkin.recorded':
        next.checkIns = [...next.checkIns, toCheckIn(event)];
        break;
      case 'help.requested':
        next.helpRequests = [...next.helpRequests, { at: event.at, note: event.data.note }];
        break;
      case 'presence.changed':
        next.presence = {
          status: event.data.presence,
          lastSeenAt: event.data.lastSeenAt ?? event.at,
        };
        break;
      case 'screening.submitted':
        next.screening = toScreening(event);
        if (next.screening.gate?.status === 'no_go') next.hadNoGo = true;
        break;
      case 'session.state_changed':
        applyStateChange(next, event);
        break;
      case 'alert.raised':
      case 'alert.updated':
      case 'alert.escalated':
      case 'alert.acknowledged':
      case 'alert.resolved':
      case 'alert.silenced':
        alerts ??= { ...model.alerts };
        next.alerts = alerts;
        applyAlertEvent(alerts, event);
        break;
      case 'note.added':
        next.notes = [
          ...next.notes,
          { seq: event.seq, at: event.at, text: event.data.text, authorId: event.actorId },
        ];
        break;
      case 'message.sent':
        next.messages = [...next.messages, toMessage(event)];
        break;
      case 'protocol.overridden':
        next.protocolChanges = [...next.protocolChanges, toProtocolChange(event)];
        break;
    }
  }
  return next;
}

export function toMessage(event: SessionEventOf<'message.sent'>): MessageRecord {
  const d = event.data;
  return {
    seq: event.seq,
    at: event.at,
    text: str(d.text) ?? '',
    fromRole: str(d.fromRole) ?? 'unknown',
    fromName: str(d.fromName) ?? '',
  };
}

export function toProtocolChange(
  event: SessionEventOf<'protocol.overridden'>,
): ProtocolChangeRecord {
  const d = event.data;
  return {
    seq: event.seq,
    at: event.at,
    setting: str(d.setting) ?? 'unknown',
    value: num(d.value) ?? null,
    previous: num(d.previous) ?? null,
    reason: str(d.reason) ?? '',
    by: str(d.by) ?? event.actorId,
  };
}

function toCheckIn(event: SessionEventOf<'checkin.recorded'>): CheckInRecord {
  const d = event.data;
  return {
    seq: event.seq,
    // When it was made (v1.10: arrival less its wait on the phone), as the alert engine counts it.
    at: new Date(checkInMadeAt(event.at, d)).toISOString(),
    moaas: num(d.moaas),
    dissociation: num(d.dissociation),
    nausea: num(d.nausea),
    anxiety: num(d.anxiety),
    symptoms: [...(d.symptoms ?? [])],
    note: str(d.note),
    takenAt: str(d.takenAt),
  };
}

function toScreening(event: SessionEventOf<'screening.submitted'>): ScreeningRecord {
  const d = event.data;
  const gate = d.gate;
  return {
    at: event.at,
    sbp: num(d.sbp),
    dbp: num(d.dbp),
    hr: num(d.hr),
    spo2: num(d.spo2),
    moaasBaseline: num(d.moaasBaseline),
    gate: gate
      ? {
          status: gate.status,
          reasons: [...(gate.reasons ?? [])],
          ...(gate.remeasureAfter && { remeasureAfter: gate.remeasureAfter }),
          ...(gate.clinicianClearanceRequired === true && { clinicianClearanceRequired: true }),
        }
      : null,
  };
}

function applyStateChange(
  next: SessionModel,
  event: SessionEventOf<'session.state_changed'>,
): void {
  const d = event.data;
  const to = str(d.to);
  if (to) next.state = to;
  if (to === 'ended' || to === 'aborted') {
    next.endedAt = str(d.endedAt) ?? event.at;
    next.endReason = str(d.reason) ?? null;
  }
  const dosedAt = str(d.dosedAt);
  if (dosedAt) next.dosedAt = dosedAt;
  const dose = d.dose;
  if (dose && num(dose.mg) !== undefined) {
    next.dose = {
      mg: num(dose.mg)!,
      route: str(dose.route) ?? 'oral',
      takenAt: str(dose.takenAt) ?? dosedAt ?? event.at,
    };
  }
  const gate = str(d.gate);
  if (gate && d.override && typeof d.reason === 'string') {
    const by = d.override.by ?? event.actorId;
    next.overrides = [...next.overrides, { at: event.at, gate, reason: d.reason, by }];
  }
  if (d.items) {
    next.endChecklist = {
      at: event.at,
      items: [...d.items],
      readyToLeaveMinutes: num(d.readyToLeaveMinutes) ?? null,
    };
  }
}
