import { READING_RANGES, type ReadingKind } from '@vigil/contracts';
import { breaches, type Protocol } from './protocol';
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

export type PreDoseGateStatus = 'go' | 'caution' | 'no_go' | 'incomplete';
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
  const spo2 = vital(screening.spo2, 'spo2', 'SpO2', incomplete, false);

  if (sbp !== null && dbp !== null) {
    const bp = `${sbp}/${dbp}`;
    const noGoLimit = `${limits.noGoSbp.value}/${limits.noGoDbp.value}`;
    if (sbp > limits.noGoSbp.value || dbp > limits.noGoDbp.value) {
      noGo.push(
        reason('bp_no_go', `Blood pressure ${bp} is above the no-go limit of ${noGoLimit}.`),
      );
    } else if (sbp > limits.cautionSbp.value || dbp > limits.cautionDbp.value) {
      const cautionLimit = `${limits.cautionSbp.value}/${limits.cautionDbp.value}`;
      caution.push(
        reason(
          'bp_caution',
          `Blood pressure ${bp} is above ${cautionLimit}: consider delaying the dose.`,
        ),
      );
    }
  }
  if (hr !== null && hr > limits.noGoHr.value) {
    noGo.push(
      reason('hr_no_go', `Heart rate ${hr} is above the no-go limit of ${limits.noGoHr.value}.`),
    );
  }
  if (spo2 !== null && breaches(spo2, protocol.alerts.spo2Borderline)) {
    caution.push(
      reason('spo2_low', `SpO2 ${spo2}% is at or below ${protocol.alerts.spo2Borderline.value}%.`),
    );
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

  const status: PreDoseGateStatus =
    incomplete.length > 0
      ? 'incomplete'
      : noGo.length > 0
        ? 'no_go'
        : caution.length > 0
          ? 'caution'
          : 'go';
  if (status === 'caution') flags.unshift('predose_caution');
  return {
    status,
    reasons: [...incomplete, ...noGo, ...caution],
    flags,
    overridable: status === 'no_go' && noGo.every((r) => !HARD_STOPS.has(r.code)),
    phq9Total,
    gad7Total,
  };
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
  return value;
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
