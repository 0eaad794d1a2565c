import {
  type DeviceKind,
  DEVICE_READING_KINDS,
  type Reading,
  type ReadingKind,
} from '@vigil/contracts';
import { clientIdOf, readIdentifier } from './observation-identifier';
import { issue, type Issue } from './operation-outcome';
import { isObject, readQuantity, type Json } from './quantity';

export { UCUM } from './quantity';
export const LOINC = 'http://loinc.org';

/** Vital-sign LOINC codes from CLINICAL.md ("Codes for interoperability") and their readings. */
const SINGLE: Record<string, ReadingKind> = {
  '8867-4': 'heart_rate',
  '9279-1': 'resp_rate',
  '59408-5': 'spo2',
  '2708-6': 'spo2',
  '8310-5': 'temperature',
  '8480-6': 'bp_systolic',
  '8462-4': 'bp_diastolic',
};
const BP_PANEL = '85354-9';
const BP_COMPONENTS: Record<string, ReadingKind> = {
  '8480-6': 'bp_systolic',
  '8462-4': 'bp_diastolic',
};
const KNOWN_CODES = [...Object.keys(SINGLE), BP_PANEL];
const STORABLE_STATUS = ['final', 'amended', 'corrected', 'preliminary'];
/** FHIR dateTime with a time must carry a zone; a reading needs the time. */
const DATE_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:([0-5]\d|60)(\.\d{1,9})?)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/;
/** As for the phone's readings (SubmissionsService): clock skew, not the future. */
const FUTURE_TOLERANCE_MS = 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The date part names a real day: Date.parse rolls 2026-02-30 over to 2 March instead of failing,
 * and the pattern allows day 30 in any month.
 */
function isCalendarDate(raw: string): boolean {
  const [y, m, d] = raw.slice(0, 10).split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCMonth() === m - 1 && day.getUTCDate() === d && !Number.isNaN(Date.parse(raw));
}

export interface IngestContext {
  deviceId: string;
  deviceKind: DeviceKind;
  patientId: string;
  now: Date;
}

export interface MappedObservation {
  /** The submission's clientId: from `identifier`, else from the device, code and time. */
  clientId: string;
  readings: Reading[];
  /** `Encounter/<id>` if given: must be the patient's live session (checked by the caller). */
  encounterId: string | null;
  /** The LOINC code the observation was read by (for the response's resource id). */
  code: string;
  /** The element its time was read from, for a refusal that names it. */
  timeElement: 'effectiveDateTime' | 'effectiveInstant';
}

export type MapResult = { ok: true; value: MappedObservation } | { ok: false; issues: Issue[] };

/**
 * A FHIR R4 vital-signs Observation to Vigil readings (a BP panel gives two), or the issues that
 * stop it, each naming its element. Pure: the caller resolves the session and stores.
 */
export function mapObservation(input: unknown, ctx: IngestContext): MapResult {
  const issues: Issue[] = [];
  if (!isObject(input))
    return { ok: false, issues: [issue('structure', 'Observation', 'must be a JSON object')] };
  if (input.resourceType !== 'Observation') {
    return {
      ok: false,
      issues: [
        issue(
          'invalid',
          'Observation.resourceType',
          `must be Observation (got ${JSON.stringify(input.resourceType ?? null)})`,
        ),
      ],
    };
  }
  if (typeof input.status !== 'string') {
    issues.push(issue('required', 'Observation.status', 'is required'));
  } else if (!STORABLE_STATUS.includes(input.status)) {
    issues.push(
      issue('value', 'Observation.status', `must be ${STORABLE_STATUS.join(', ')} to be stored`),
    );
  }
  const code = readCode(input.code, issues);
  const measuredAt = readEffective(input, ctx.now, issues);
  checkSubject(input.subject, ctx, issues);
  checkDevice(input.device, ctx, issues);
  const encounterId = readEncounter(input.encounter, issues);
  const identifier = readIdentifier(input.identifier, issues);

  const values = code === null ? [] : readValues(input, code, issues);
  const readings = measuredAt ? values.map((v) => reading(v.kind, v.value, measuredAt)) : [];
  for (const r of readings) {
    if (!DEVICE_READING_KINDS[ctx.deviceKind].includes(r.kind))
      issues.push(
        issue('business-rule', 'Observation.code', `a ${ctx.deviceKind} may not report ${r.kind}`),
      );
  }
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    value: {
      clientId: clientIdOf(identifier, ctx.deviceId, code!, measuredAt!),
      readings,
      encounterId,
      code: code!,
      timeElement: input.effectiveDateTime !== undefined ? 'effectiveDateTime' : 'effectiveInstant',
    },
  };
}

/**
 * The readings an Observation carries, read as `mapObservation` reads them (its LOINC code, its
 * quantities converted to the reading's unit and range-checked) and nothing else: no status,
 * time, subject or device. For admission control, which must class a device's post before the
 * device is authenticated (fhir-admission.ts); whatever is wrong with the Observation is found
 * and named by `mapObservation` once it is admitted.
 */
export function peekReadings(input: unknown): ReadingValue[] {
  if (!isObject(input)) return [];
  const ignored: Issue[] = [];
  const code = readCode(input.code, ignored);
  return code === null ? [] : readValues(input, code, ignored);
}

type ReadingValue = Pick<Reading, 'kind' | 'value'>;

/** The values of a known code: a BP panel's components, or the Observation's own quantity. */
function readValues(input: Json, code: string, issues: Issue[]): ReadingValue[] {
  if (code === BP_PANEL) return readPanel(input, issues);
  const kind = SINGLE[code];
  const value = readQuantity(input, 'Observation', kind, issues);
  return value === null ? [] : [{ kind, value }];
}

const reading = (kind: ReadingKind, value: number, measuredAt: string): Reading => ({
  kind,
  value,
  measuredAt,
  source: 'device',
});

/** The one supported LOINC code in `code.coding`, or null after recording why not. */
function readCode(code: unknown, issues: Issue[]): string | null {
  const path = 'Observation.code';
  if (!isObject(code) || !Array.isArray(code.coding) || code.coding.length === 0) {
    issues.push(issue('required', `${path}.coding`, 'is required (a LOINC vital-sign code)'));
    return null;
  }
  const found = new Set<string>();
  let misfiled: { index: number; system: unknown; code: string } | null = null;
  code.coding.forEach((c: unknown, index: number) => {
    if (!isObject(c) || typeof c.code !== 'string' || !KNOWN_CODES.includes(c.code)) return;
    if (c.system === LOINC) found.add(c.code);
    else misfiled ??= { index, system: c.system, code: c.code };
  });
  const kinds = new Set([...found].map((c) => (c === BP_PANEL ? 'bp' : SINGLE[c])));
  if (kinds.size === 1) {
    // SpO2 may carry both of its codes (US Core); any one of them names the reading.
    return [...found].find((c) => c === BP_PANEL) ?? [...found][0];
  }
  if (kinds.size > 1) {
    issues.push(
      issue(
        'invalid',
        `${path}.coding`,
        `names more than one vital sign (${[...found].join(', ')})`,
      ),
    );
    return null;
  }
  if (misfiled) {
    const m = misfiled as { index: number; system: unknown; code: string };
    issues.push(
      issue(
        'code-invalid',
        `${path}.coding[${m.index}].system`,
        `must be ${LOINC} for code ${m.code} (got ${JSON.stringify(m.system ?? null)})`,
      ),
    );
    return null;
  }
  issues.push(
    issue(
      'not-supported',
      `${path}.coding`,
      `no supported vital-sign code: expected LOINC ${KNOWN_CODES.join(', ')}`,
    ),
  );
  return null;
}

function readEffective(input: Json, now: Date, issues: Issue[]): string | null {
  const field =
    input.effectiveDateTime !== undefined
      ? 'effectiveDateTime'
      : input.effectiveInstant !== undefined
        ? 'effectiveInstant'
        : null;
  if (field === null) {
    const other = input.effectivePeriod !== undefined || input.effectiveTiming !== undefined;
    issues.push(
      issue(
        'required',
        'Observation.effective[x]',
        other ? 'must be effectiveDateTime or effectiveInstant' : 'is required (effectiveDateTime)',
      ),
    );
    return null;
  }
  const path = `Observation.${field}`;
  const raw = input[field];
  if (typeof raw !== 'string' || !DATE_TIME.test(raw) || !isCalendarDate(raw)) {
    issues.push(
      issue('value', path, 'must be a date-time with a time zone, e.g. 2026-12-01T18:30:00Z'),
    );
    return null;
  }
  const at = new Date(raw);
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    issues.push(issue('value', path, 'is in the future (check the device clock)'));
    return null;
  }
  return at.toISOString();
}

function referenceOf(ref: unknown): string | null {
  return isObject(ref) && typeof ref.reference === 'string' ? ref.reference : null;
}

function checkSubject(subject: unknown, ctx: IngestContext, issues: Issue[]): void {
  if (subject === undefined) return;
  const ref = referenceOf(subject);
  if (ref === null) {
    issues.push(issue('invalid', 'Observation.subject', 'must be a reference (Patient/<id>)'));
  } else if (ref.toLowerCase() !== `patient/${ctx.patientId}`) {
    issues.push(
      issue('not-found', 'Observation.subject', `${ref}: not found for this device's credential`),
    );
  }
}

function checkDevice(device: unknown, ctx: IngestContext, issues: Issue[]): void {
  if (device === undefined) return;
  const ref = referenceOf(device);
  if (ref === null && !isObject(device)) {
    issues.push(issue('invalid', 'Observation.device', 'must be a reference'));
    return;
  }
  // A hub may name the sensor behind it by its own id; a Vigil device id must be this device.
  const match = ref === null ? null : /^Device\/(.+)$/.exec(ref);
  if (match && UUID.test(match[1]) && match[1].toLowerCase() !== ctx.deviceId) {
    issues.push(
      issue(
        'forbidden',
        'Observation.device',
        `${ref} is not the device this credential belongs to`,
      ),
    );
  }
}

function readEncounter(encounter: unknown, issues: Issue[]): string | null {
  if (encounter === undefined) return null;
  const ref = referenceOf(encounter);
  const match = ref === null ? null : /^Encounter\/(.+)$/.exec(ref);
  if (!match) {
    issues.push(issue('invalid', 'Observation.encounter', 'must be a reference Encounter/<id>'));
    return null;
  }
  return match[1].toLowerCase();
}

/** A BP panel's systolic and diastolic components (at least one with a value). */
function readPanel(input: Json, issues: Issue[]): ReadingValue[] {
  const out: ReadingValue[] = [];
  const components = Array.isArray(input.component) ? input.component : [];
  const seen = new Set<ReadingKind>();
  let found = 0;
  components.forEach((c: unknown, index: number) => {
    if (!isObject(c) || !isObject(c.code) || !Array.isArray(c.code.coding)) return;
    const coding = (c.code.coding as unknown[]).find(
      // Own keys only: `in` also matches `constructor` and `toString`, a TypeError later.
      (x): x is Json =>
        isObject(x) && typeof x.code === 'string' && Object.hasOwn(BP_COMPONENTS, x.code),
    );
    if (!coding) return;
    const path = `Observation.component[${index}]`;
    if (coding.system !== LOINC) {
      issues.push(
        issue(
          'code-invalid',
          `${path}.code.coding.system`,
          `must be ${LOINC} for code ${String(coding.code)}`,
        ),
      );
      return;
    }
    if (c.valueQuantity === undefined && c.dataAbsentReason !== undefined) return;
    found++;
    const kind = BP_COMPONENTS[coding.code as string];
    // Two systolics (no diastolic) would store the second as a systolic, and lose the pair.
    if (seen.has(kind)) {
      issues.push(issue('structure', `${path}.code`, `repeats the ${kind} component`));
      return;
    }
    seen.add(kind);
    const value = readQuantity(c, path, kind, issues);
    if (value !== null) out.push({ kind, value });
  });
  if (found === 0)
    issues.push(
      issue(
        'required',
        'Observation.component',
        'a BP panel needs a systolic (8480-6) or diastolic (8462-4) component with a valueQuantity',
      ),
    );
  return out;
}
