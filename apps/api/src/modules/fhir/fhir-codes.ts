import type { CodeSystem, CodeableConcept, Coding, Quantity } from 'fhir/r4';
import type { ReadingKind } from '@vigil/contracts';

/** Terminology for the export, from ../shared/CLINICAL.md ("Codes for interoperability"). */
export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const COMMUNICATION_CATEGORY =
  'http://terminology.hl7.org/CodeSystem/communication-category';
export const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
export const AUDIT_EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
export const TASK_CODE = 'http://hl7.org/fhir/CodeSystem/task-code';
export const DATA_ABSENT = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';
export const VIGIL_BASE = 'https://vigil.example/fhir';
/** MOAA/S, CADSS and self-rated dissociation have no confirmed LOINC code: a local system. */
export const VIGIL_SCALES = `${VIGIL_BASE}/CodeSystem/vigil-scales`;
export const VIGIL_ALERT_CONDITIONS = `${VIGIL_BASE}/CodeSystem/vigil-alert-conditions`;
export const VIGIL_AUDIT_ACTIONS = `${VIGIL_BASE}/CodeSystem/vigil-audit-actions`;
export const VIGIL_SESSION_ID = `${VIGIL_BASE}/NamingSystem/session-id`;
export const CHECK_IN_QUESTIONNAIRE = `${VIGIL_BASE}/Questionnaire/session-check-in`;
export const SCREENING_QUESTIONNAIRE = `${VIGIL_BASE}/Questionnaire/pre-dose-screening`;

export const loinc = (code: string, display: string): Coding => ({ system: LOINC, code, display });

export const VITAL_SIGNS: CodeableConcept = {
  coding: [{ system: OBSERVATION_CATEGORY, code: 'vital-signs', display: 'Vital Signs' }],
};
export const SURVEY: CodeableConcept = {
  coding: [{ system: OBSERVATION_CATEGORY, code: 'survey', display: 'Survey' }],
};

export const BP_PANEL = loinc('85354-9', 'Blood pressure panel with all children optional');
export const SYSTOLIC = loinc('8480-6', 'Systolic blood pressure');
export const DIASTOLIC = loinc('8462-4', 'Diastolic blood pressure');
export const PHQ9_TOTAL = loinc(
  '44261-6',
  'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]',
);
export const GAD7_TOTAL = loinc(
  '70274-6',
  'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]',
);

/** Single-valued vitals: their codes and UCUM units. SpO2 carries both codes (US Core). */
export const VITAL_CODES: Record<
  Exclude<ReadingKind, 'bp_systolic' | 'bp_diastolic'>,
  { codings: Coding[]; unit: string; text: string }
> = {
  heart_rate: { codings: [loinc('8867-4', 'Heart rate')], unit: '/min', text: 'Heart rate' },
  resp_rate: {
    codings: [loinc('9279-1', 'Respiratory rate')],
    unit: '/min',
    text: 'Respiratory rate',
  },
  spo2: {
    codings: [
      loinc('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'),
      loinc('2708-6', 'Oxygen saturation in Arterial blood'),
    ],
    unit: '%',
    text: 'SpO2',
  },
  temperature: {
    codings: [loinc('8310-5', 'Body temperature')],
    unit: 'Cel',
    text: 'Body temperature',
  },
};

export const quantity = (value: number, unit: string): Quantity => ({
  value,
  unit,
  system: UCUM,
  code: unit,
});

export const SCALE_CODES = {
  moaas: { code: 'moaas', display: 'Modified Observer’s Assessment of Alertness/Sedation (0-5)' },
  moaasBaseline: { code: 'moaas-baseline', display: 'Pre-dose MOAA/S (0-5)' },
  dissociation: { code: 'dissociation-self-rating', display: 'Self-rated dissociation (0-10)' },
  nausea: { code: 'nausea-self-rating', display: 'Self-rated nausea (0-10)' },
  anxiety: { code: 'anxiety-self-rating', display: 'Self-rated anxiety (0-10)' },
} as const;

export const scaleCoding = (key: keyof typeof SCALE_CODES): Coding => ({
  system: VIGIL_SCALES,
  ...SCALE_CODES[key],
});

/** The local code system itself, shipped in the bundle so a receiver can read the codes. */
export function scalesCodeSystem(id: string): CodeSystem {
  return {
    resourceType: 'CodeSystem',
    id,
    url: VIGIL_SCALES,
    name: 'VigilScales',
    title: 'Vigil observation scales without a LOINC code',
    status: 'active',
    content: 'complete',
    caseSensitive: true,
    concept: Object.values(SCALE_CODES).map((c) => ({ code: c.code, display: c.display })),
  };
}
