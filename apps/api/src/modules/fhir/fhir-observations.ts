import type {
  Device,
  Observation,
  ObservationComponent,
  QuestionnaireResponse,
  QuestionnaireResponseItem,
  Reference,
} from 'fhir/r4';
import type { SessionEvent, SessionEventOf } from '@vigil/contracts';
import {
  BP_PANEL,
  CHECK_IN_QUESTIONNAIRE,
  DATA_ABSENT,
  DIASTOLIC,
  GAD7_TOTAL,
  PHQ9_TOTAL,
  quantity,
  scaleCoding,
  SCREENING_QUESTIONNAIRE,
  SURVEY,
  SYSTOLIC,
  VIGIL_BASE,
  VITAL_CODES,
  VITAL_SIGNS,
  type SCALE_CODES,
} from './fhir-codes';
import { deviceReference, readingDevice } from './fhir-devices';
import { stableUuid, urn } from './fhir-ids';

export interface FhirScope {
  sessionId: string;
  patient: Reference;
  encounter: Reference;
  /** The bundle's Patient or Practitioner for a user id, if that user is in the bundle. */
  actor: (userId: string | null) => Reference | undefined;
}

/** What an alert can point at: the latest observation of its kind logged before it was raised. */
export interface ObservationIndex {
  kind: string;
  seq: number;
  ref: Reference;
}

export interface Built {
  resources: Array<Observation | QuestionnaireResponse | Device>;
  index: ObservationIndex[];
  /** Paired devices already in the bundle, by Vigil device id. */
  devices: Map<string, Reference>;
}

const SYMPTOMS = `${VIGIL_BASE}/CodeSystem/vigil-symptoms`;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function observation(
  scope: FhirScope,
  id: string,
  category: Observation['category'],
  code: Observation['code'],
  at: string,
  rest: Partial<Observation>,
): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category,
    code,
    subject: scope.patient,
    encounter: scope.encounter,
    effectiveDateTime: at,
    ...rest,
  };
}

function bpPanel(
  scope: FhirScope,
  id: string,
  at: string,
  sbp: number | null,
  dbp: number | null,
  extra: Partial<Observation> = {},
) {
  const component = (coding: typeof SYSTOLIC, v: number | null): ObservationComponent =>
    v === null
      ? {
          code: { coding: [coding] },
          dataAbsentReason: { coding: [{ system: DATA_ABSENT, code: 'not-performed' }] },
        }
      : { code: { coding: [coding] }, valueQuantity: quantity(v, 'mm[Hg]') };
  return observation(scope, id, [VITAL_SIGNS], { coding: [BP_PANEL], text: 'Blood pressure' }, at, {
    component: [component(SYSTOLIC, sbp), component(DIASTOLIC, dbp)],
    ...extra,
  });
}

function vital(
  scope: FhirScope,
  id: string,
  kind: keyof typeof VITAL_CODES,
  value: number,
  at: string,
  extra: Partial<Observation> = {},
) {
  const spec = VITAL_CODES[kind];
  return observation(scope, id, [VITAL_SIGNS], { coding: spec.codings, text: spec.text }, at, {
    valueQuantity: quantity(value, spec.unit),
    ...extra,
  });
}

function score(
  scope: FhirScope,
  id: string,
  key: keyof typeof SCALE_CODES,
  value: number,
  at: string,
  from: Reference,
) {
  return observation(scope, id, [SURVEY], { coding: [scaleCoding(key)] }, at, {
    valueInteger: value,
    derivedFrom: [from],
  });
}

/** Vitals, one Observation per reading; a systolic and diastolic of one instant are one BP panel. */
function vitals(scope: FhirScope, e: SessionEventOf<'vitals.recorded'>, out: Built): void {
  const readings = e.data.readings;
  // A paired device's readings name it (contract v1.2); the Device is added once per bundle.
  const source = readingDevice(e);
  const extra: Partial<Observation> = source
    ? { device: deviceReference(source, scope.patient, out.devices, (d) => out.resources.push(d)) }
    : {};
  const bps = new Map<string, { sbp: number | null; dbp: number | null }>();
  readings.forEach((r, i) => {
    if (r.kind === 'bp_systolic' || r.kind === 'bp_diastolic') {
      const bp = bps.get(r.measuredAt) ?? { sbp: null, dbp: null };
      if (r.kind === 'bp_systolic') bp.sbp = r.value;
      else bp.dbp = r.value;
      bps.set(r.measuredAt, bp);
      return;
    }
    const id = stableUuid(scope.sessionId, e.seq, i, r.kind);
    out.resources.push(vital(scope, id, r.kind, r.value, r.measuredAt, extra));
    out.index.push({ kind: r.kind, seq: e.seq, ref: { reference: urn(id) } });
  });
  for (const [at, bp] of bps) {
    const id = stableUuid(scope.sessionId, e.seq, 'bp', at);
    out.resources.push(bpPanel(scope, id, at, bp.sbp, bp.dbp, extra));
    out.index.push({ kind: 'bp', seq: e.seq, ref: { reference: urn(id) } });
  }
}

const intAnswer = (linkId: string, text: string, v: number): QuestionnaireResponseItem => ({
  linkId,
  text,
  answer: [{ valueInteger: v }],
});

function questionnaireResponse(
  scope: FhirScope,
  id: string,
  questionnaire: string,
  e: SessionEvent,
  item: QuestionnaireResponseItem[],
): QuestionnaireResponse {
  return {
    resourceType: 'QuestionnaireResponse',
    id,
    questionnaire,
    status: 'completed',
    subject: scope.patient,
    encounter: scope.encounter,
    authored: e.at,
    author: scope.actor(e.actorId),
    item,
  };
}

/** A check-in: the answers as a QuestionnaireResponse, MOAA/S and dissociation as scores. */
function checkIn(scope: FhirScope, e: SessionEventOf<'checkin.recorded'>, out: Built): void {
  const d = e.data;
  const at = d.takenAt ?? e.at;
  const qrId = stableUuid(scope.sessionId, e.seq, 'qr');
  const items: QuestionnaireResponseItem[] = [];
  for (const [key, text] of [
    ['moaas', 'MOAA/S (0-5)'],
    ['dissociation', 'Dissociation (0-10)'],
    ['nausea', 'Nausea (0-10)'],
    ['anxiety', 'Anxiety (0-10)'],
  ] as const) {
    const v = num(d[key]);
    if (v !== null) items.push(intAnswer(key, text, v));
  }
  if (d.symptoms && d.symptoms.length > 0) {
    items.push({
      linkId: 'symptoms',
      text: 'Symptoms',
      answer: d.symptoms.map((code) => ({ valueCoding: { system: SYMPTOMS, code } })),
    });
  }
  if (d.note !== undefined)
    items.push({ linkId: 'note', text: 'Note', answer: [{ valueString: d.note }] });
  out.resources.push(questionnaireResponse(scope, qrId, CHECK_IN_QUESTIONNAIRE, e, items));
  const from = { reference: urn(qrId) };
  for (const key of ['moaas', 'dissociation'] as const) {
    const v = num(d[key]);
    if (v === null) continue;
    const id = stableUuid(scope.sessionId, e.seq, key);
    out.resources.push(score(scope, id, key, v, at, from));
    out.index.push({ kind: key, seq: e.seq, ref: { reference: urn(id) } });
  }
}

/** The pre-dose screening: PHQ-9, GAD-7 and baseline MOAA/S answers, their totals, and vitals. */
function screening(scope: FhirScope, e: SessionEventOf<'screening.submitted'>, out: Built): void {
  const d = e.data;
  const qrId = stableUuid(scope.sessionId, e.seq, 'screening');
  const items: QuestionnaireResponseItem[] = [];
  const phq9 = d.phq9 ?? null;
  const gad7 = d.gad7 ?? null;
  phq9?.forEach((v, i) => items.push(intAnswer(`phq9-${i + 1}`, `PHQ-9 item ${i + 1}`, v)));
  gad7?.forEach((v, i) => items.push(intAnswer(`gad7-${i + 1}`, `GAD-7 item ${i + 1}`, v)));
  const baseline = num(d.moaasBaseline);
  if (baseline !== null) items.push(intAnswer('moaas-baseline', 'Pre-dose MOAA/S', baseline));
  const from = { reference: urn(qrId) };
  if (items.length > 0)
    out.resources.push(questionnaireResponse(scope, qrId, SCREENING_QUESTIONNAIRE, e, items));
  const total = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  const totals: Array<[typeof PHQ9_TOTAL, readonly number[] | null, string]> = [
    [PHQ9_TOTAL, phq9, 'phq9'],
    [GAD7_TOTAL, gad7, 'gad7'],
  ];
  for (const [coding, xs, key] of totals) {
    if (!xs) continue;
    const id = stableUuid(scope.sessionId, e.seq, key);
    out.resources.push(
      observation(scope, id, [SURVEY], { coding: [coding] }, e.at, {
        valueQuantity: quantity(total(xs), '{score}'),
        derivedFrom: [from],
      }),
    );
  }
  if (baseline !== null) {
    out.resources.push(
      score(
        scope,
        stableUuid(scope.sessionId, e.seq, 'moaas-baseline'),
        'moaasBaseline',
        baseline,
        e.at,
        from,
      ),
    );
  }
  // Indexed twice: as any reading of its kind, and as the screening's (what a no-go judged).
  const indexed = (kind: string, id: string) => {
    const ref = { reference: urn(id) };
    out.index.push({ kind, seq: e.seq, ref }, { kind: `screening:${kind}`, seq: e.seq, ref });
  };
  const sbp = num(d.sbp);
  const dbp = num(d.dbp);
  if (sbp !== null || dbp !== null) {
    const id = stableUuid(scope.sessionId, e.seq, 'bp');
    out.resources.push(bpPanel(scope, id, e.at, sbp, dbp));
    indexed('bp', id);
  }
  for (const [key, kind] of [
    ['hr', 'heart_rate'],
    ['spo2', 'spo2'],
  ] as const) {
    const v = num(d[key]);
    if (v === null) continue;
    const id = stableUuid(scope.sessionId, e.seq, kind);
    out.resources.push(vital(scope, id, kind, v, e.at));
    indexed(kind, id);
  }
}

export function clinicalResources(scope: FhirScope, events: readonly SessionEvent[]): Built {
  const out: Built = { resources: [], index: [], devices: new Map() };
  for (const e of events) {
    if (e.type === 'vitals.recorded') vitals(scope, e, out);
    else if (e.type === 'checkin.recorded') checkIn(scope, e, out);
    else if (e.type === 'screening.submitted') screening(scope, e, out);
  }
  return out;
}
