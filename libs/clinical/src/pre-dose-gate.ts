import { READING_RANGES, type PreDoseGateStatus, type ReadingKind } from '@vigil/contracts';
import { breaches, relation, type PreDoseLimit, type Protocol } from './protocol';
import { roundReading } from './precision';
import { hasText, reason, type Reason } from './reasons';
import { isFiniteNumber } from './time';

export interface SupportPersonAttestation {
  adult: boolean;
  presentWholeSession: boolean;
  name: string;
  phone: string;
}

/** What the patient or support person enters on the phone before dosing. */
export interface PreDoseScreening {
  sbp?: number | null;
  dbp?: number | null;
  hr?: number | null;
  spo2?: number | null;
  supportPerson?: SupportPersonAttestation | null;
  /** 4 h without food, 2 h without liquids. */
  fasting?: boolean | null;
  /** No alcohol, benzodiazepines, cannabis, opioids, stimulants or hypnotics in 24 h. */
  noRecentSubstances?: boolean | null;
  /** Psychostimulants, MAOIs or other medicines that raise BP. */
  concomitantBpRaisingMeds?: boolean | null;
  /** Nine items scored 0-3, item 9 last. */
  phq9?: readonly number[] | null;
  /** Seven items scored 0-3. */
  gad7?: readonly number[] | null;
  moaasBaseline?: number | null;
}

/** The contract's gate statuses (the screening answer's schema), named once there. */
export type { PreDoseGateStatus };
export type PreDoseFlag = 'predose_caution' | 'concomitant_bp_meds' | 'phq9_item9';

export interface PreDoseGateResult {
  status: PreDoseGateStatus;
  reasons: Reason[];
  flags: PreDoseFlag[];
  /** A clinician override with a reason may lift a no-go; never an incomplete screening. */
  overridable: boolean;
  phq9Total: number | null;
  gad7Total: number | null;
}

/** Codes of no-go reasons that no override can lift: no support person, no dose. */
const HARD_STOPS = new Set(['support_person_not_adult', 'support_person_not_present']);

export function evaluatePreDoseGate(
  screening: PreDoseScreening,
  protocol: Protocol,
): PreDoseGateResult {
  const incomplete: Reason[] = [];
  const noGo: Reason[] = [];
  const caution: Reason[] = [];
  const flags: PreDoseFlag[] = [];
  const limits = protocol.preDose;

  const sbp = vital(screening.sbp, 'bp_systolic', 'Systolic blood pressure', incomplete, true);
  const dbp = vital(screening.dbp, 'bp_diastolic', 'Diastolic blood pressure', incomplete, true);
  const hr = vital(screening.hr, 'heart_rate', 'Heart rate', incomplete, true);
  // v2: a pulse oximeter at every session, so SpO2 is required.
  const spo2 = vital(screening.spo2, 'spo2', 'SpO2', incomplete, true);

  if (sbp !== null && dbp !== null) {
    if (breaches(sbp, limits.noGoSbp) || breaches(dbp, limits.noGoDbp)) {
      noGo.push(
        reason('bp_no_go', `Blood pressure ${bpLimit(sbp, dbp, protocol, 'noGo')} (no-go).`),
      );
    } else if (breaches(sbp, limits.cautionSbp) || breaches(dbp, limits.cautionDbp)) {
      caution.push(
        reason(
          'bp_caution',
          `Blood pressure ${bpLimit(sbp, dbp, protocol, 'caution')}: consider delaying the dose.`,
        ),
      );
    }
  }
  if (hr !== null && breaches(hr, limits.noGoHr)) {
    noGo.push(reason('hr_no_go', `Heart rate ${hr} ${limitText(hr, limits.noGoHr)} (no-go).`));
  }
  if (spo2 !== null && breaches(spo2, limits.noGoSpo2)) {
    noGo.push(reason('spo2_no_go', `SpO2 ${spo2}% ${limitText(spo2, limits.noGoSpo2)}% (no-go).`));
  } else if (spo2 !== null && breaches(spo2, limits.cautionSpo2)) {
    caution.push(reason('spo2_low', `SpO2 ${spo2}% ${limitText(spo2, limits.cautionSpo2)}%.`));
  }

  checkSupportPerson(screening.supportPerson, incomplete, noGo);

  if (typeof screening.fasting !== 'boolean') {
    incomplete.push(reason('fasting_missing', 'The fasting question has not been answered.'));
  } else if (!screening.fasting) {
    noGo.push(reason('not_fasting', 'Not fasted (4 h without food, 2 h without liquids).'));
  }
  if (typeof screening.noRecentSubstances !== 'boolean') {
    incomplete.push(
      reason('substances_missing', 'The alcohol and drugs question has not been answered.'),
    );
  } else if (!screening.noRecentSubstances) {
    noGo.push(
      reason(
        'recent_substances',
        'Alcohol, benzodiazepines, cannabis, opioids, stimulants or hypnotics in the last 24 h.',
      ),
    );
  }
  if (screening.concomitantBpRaisingMeds === true) flags.push('concomitant_bp_meds');

  const moaas = screening.moaasBaseline;
  if (!isFiniteNumber(moaas) || moaas < 0 || moaas > 5) {
    incomplete.push(reason('moaas_missing', 'Baseline alertness (MOAA/S 0-5) is missing.'));
  } else if (moaas < 5) {
    caution.push(reason('moaas_not_alert', `Not fully alert before dosing (MOAA/S ${moaas}).`));
  }

  const phq9Total = questionnaireTotal(screening.phq9, 9, 'PHQ-9', incomplete);
  const gad7Total = questionnaireTotal(screening.gad7, 7, 'GAD-7', incomplete);
  const item9 = phq9Total === null ? null : (screening.phq9?.[8] ?? null);
  if (item9 !== null && breaches(item9, protocol.alerts.phq9Item9)) {
    flags.push('phq9_item9');
    caution.push(
      reason('phq9_item9', `PHQ-9 item 9 (thoughts of self-harm) answered ${item9} of 3.`),
    );
  }

  // A no-go outranks a missing answer: a BP of 172/96 with the fasting question unanswered is
  // still a reading that blocks the dose, starts the rest and must reach the clinician (v2), not
  // a form sent back as incomplete and forgotten. It cannot be overridden until it is complete.
  const status: PreDoseGateStatus =
    noGo.length > 0
      ? 'no_go'
      : incomplete.length > 0
        ? 'incomplete'
        : caution.length > 0
          ? 'caution'
          : 'go';
  if (status === 'caution') flags.unshift('predose_caution');
  return {
    status,
    reasons: [...incomplete, ...noGo, ...caution],
    flags,
    overridable:
      status === 'no_go' && incomplete.length === 0 && noGo.every((r) => !HARD_STOPS.has(r.code)),
    phq9Total,
    gad7Total,
  };
}

/** Why a no-go screening holds the dose, for a clinician's override or the dose refused. */
export function noGoBlock(gate: Pick<PreDoseGateResult, 'overridable' | 'reasons'>): Reason {
  if (gate.overridable) {
    return reason(
      'override_required',
      'Dosing is blocked until a clinician overrides with a reason.',
    );
  }
  if (gate.reasons.some((r) => HARD_STOPS.has(r.code))) {
    return reason('no_support_person', 'No adult support person for the whole session: no dose.');
  }
  return reason(
    'screening_incomplete',
    'Dosing is blocked: answer every screening question after the rest, then a clinician may clear the dose.',
  );
}

function limitText(value: number, limit: PreDoseLimit): string {
  return `${relation(value, limit)} ${limit.value}`;
}

/**
 * "172/96 >= 160/100" style (CLINICAL.md v2): the reading against the pair of limits it tripped,
 * with the tripped limit's own comparator, since either value past its limit trips the pair.
 */
function bpLimit(sbp: number, dbp: number, protocol: Protocol, level: 'noGo' | 'caution'): string {
  const s = level === 'noGo' ? protocol.preDose.noGoSbp : protocol.preDose.cautionSbp;
  const d = level === 'noGo' ? protocol.preDose.noGoDbp : protocol.preDose.cautionDbp;
  const tripped = breaches(sbp, s) ? s.comparator : d.comparator;
  return `${sbp}/${dbp} ${tripped} ${s.value}/${d.value}`;
}

/**
 * The no-go alert's message (CLINICAL.md v2, in the board's plain words, issue 12): the reading
 * and the limit it tripped, e.g. `BP 172/96 (no-go 160/100)` (the dose is blocked until the clinician
 * decides); a no-go that is not a vital sign names its reason.
 */
export function noGoMessage(screening: PreDoseScreening, protocol: Protocol): string {
  const l = protocol.preDose;
  // v2 precision: the message names the rounded values the rules judged.
  const round = (kind: ReadingKind, v: number | null | undefined) =>
    isFiniteNumber(v) ? roundReading(kind, v) : v;
  const sbp = round('bp_systolic', screening.sbp);
  const dbp = round('bp_diastolic', screening.dbp);
  const hr = round('heart_rate', screening.hr);
  const spo2 = round('spo2', screening.spo2);
  const parts: string[] = [];
  if (isFiniteNumber(sbp) && isFiniteNumber(dbp)) {
    if (breaches(sbp, l.noGoSbp) || breaches(dbp, l.noGoDbp)) {
      parts.push(`BP ${sbp}/${dbp} (no-go ${l.noGoSbp.value}/${l.noGoDbp.value})`);
    }
  }
  if (isFiniteNumber(hr) && breaches(hr, l.noGoHr))
    parts.push(`HR ${hr} (no-go ${l.noGoHr.value})`);
  if (isFiniteNumber(spo2) && breaches(spo2, l.noGoSpo2)) {
    parts.push(`SpO2 ${spo2} % (no-go ${l.noGoSpo2.value})`);
  }
  if (parts.length === 0) {
    // Not a vital sign (no support person, not fasted, recent substances): name the reason.
    const first = evaluatePreDoseGate(screening, protocol).reasons[0];
    parts.push(`No-go: ${first ? first.message.replace(/\.$/, '') : 'pre-dose'}`);
  }
  return parts.join(', ');
}

function vital(
  value: number | null | undefined,
  kind: ReadingKind,
  label: string,
  incomplete: Reason[],
  required: boolean,
): number | null {
  if (value === null || value === undefined) {
    if (required) incomplete.push(reason(`${kind}_missing`, `${label} is missing.`));
    return null;
  }
  const range = READING_RANGES[kind];
  if (!isFiniteNumber(value) || value < range.min || value > range.max) {
    incomplete.push(
      reason(`${kind}_implausible`, `${label} ${String(value)} is not plausible: measure again.`),
    );
    return null;
  }
  // v2 precision: rules use readings rounded to the unit's precision.
  return roundReading(kind, value);
}

function checkSupportPerson(
  person: SupportPersonAttestation | null | undefined,
  incomplete: Reason[],
  noGo: Reason[],
): void {
  if (!person) {
    incomplete.push(reason('support_person_missing', 'No support person has attested.'));
    return;
  }
  if (!hasText(person.name) || !hasText(person.phone)) {
    incomplete.push(
      reason('support_person_contact', "The support person's name and phone are required."),
    );
  }
  if (person.adult !== true) {
    noGo.push(reason('support_person_not_adult', 'The support person must be an adult (18+).'));
  }
  if (person.presentWholeSession !== true) {
    noGo.push(
      reason(
        'support_person_not_present',
        'The support person must stay within voice range for the whole session.',
      ),
    );
  }
}

function questionnaireTotal(
  items: readonly number[] | null | undefined,
  count: number,
  label: string,
  incomplete: Reason[],
): number | null {
  if (items === null || items === undefined) return null;
  const valid =
    items.length === count && items.every((i) => Number.isInteger(i) && i >= 0 && i <= 3);
  if (!valid) {
    incomplete.push(
      reason(
        `${label.replace('-', '').toLowerCase()}_invalid`,
        `${label} needs ${count} answers from 0 to 3.`,
      ),
    );
    return null;
  }
  return items.reduce((sum, i) => sum + i, 0);
}
