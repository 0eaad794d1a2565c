import { withoutClientId } from './form-values';
import { screeningSubmissionSchema, type ScreeningSubmission } from '@vigil/contracts';

/** What the screening form holds while it is being filled in: numbers as typed text. */
export interface ScreeningDraft {
  sbp: string;
  dbp: string;
  hr: string;
  spo2: string;
  supportAdult?: boolean;
  supportPresent?: boolean;
  supportName: string;
  supportPhone: string;
  fasting?: boolean;
  recentSubstances?: boolean;
  bpMeds?: boolean;
  moaasBaseline?: number;
  phq9: Array<number | undefined>;
  gad7: Array<number | undefined>;
  withQuestionnaires: boolean;
}

export const emptyScreening = (withQuestionnaires: boolean): ScreeningDraft => ({
  sbp: '',
  dbp: '',
  hr: '',
  spo2: '',
  supportName: '',
  supportPhone: '',
  phq9: Array<number | undefined>(9).fill(undefined),
  gad7: Array<number | undefined>(7).fill(undefined),
  withQuestionnaires,
});

export type ScreeningErrors = Partial<Record<string, string>>;
export type ScreeningBody = Omit<ScreeningSubmission, 'clientId'>;

const num = (text: string) => (text.trim() === '' ? undefined : Number(text));

/** Plain-words messages for what the pre-dose gate needs; the schema then checks the ranges. */
const REQUIRED: Array<[keyof ScreeningDraft, string]> = [
  ['sbp', 'Enter the top blood pressure number.'],
  ['dbp', 'Enter the bottom blood pressure number.'],
  ['hr', 'Enter the heart rate (pulse).'],
  // CLINICAL.md v2: a pulse oximeter at every session, SpO2 required before the dose.
  ['spo2', 'Enter the oxygen level (SpO2) from the finger clip.'],
  ['supportAdult', 'Answer yes or no.'],
  ['supportPresent', 'Answer yes or no.'],
  ['supportName', "Enter the support person's name."],
  ['supportPhone', "Enter the support person's phone number."],
  ['fasting', 'Answer yes or no.'],
  ['recentSubstances', 'Answer yes or no.'],
  ['moaasBaseline', 'Choose what happens.'],
];

const FIELD_OF_PATH: Record<string, keyof ScreeningDraft> = {
  'supportPerson.name': 'supportName',
  'supportPerson.phone': 'supportPhone',
  moaasBaseline: 'moaasBaseline',
};

/**
 * Turns the form into the request body, or says what is missing. Everything the gate needs is
 * required here, so a screening saved offline is never sent only to come back "incomplete".
 */
export function buildScreening(
  draft: ScreeningDraft,
): { ok: true; body: ScreeningBody } | { ok: false; errors: ScreeningErrors } {
  const errors: ScreeningErrors = {};
  for (const [field, message] of REQUIRED) {
    const v = draft[field];
    if (v === undefined || (typeof v === 'string' && v.trim() === '')) errors[field] = message;
  }
  if (draft.withQuestionnaires) {
    draft.phq9.forEach((a, i) => {
      if (typeof a !== 'number') errors[`phq9.${i}`] = 'Choose one answer.';
    });
    draft.gad7.forEach((a, i) => {
      if (typeof a !== 'number') errors[`gad7.${i}`] = 'Choose one answer.';
    });
  }
  const body: ScreeningBody = {
    sbp: num(draft.sbp),
    dbp: num(draft.dbp),
    hr: num(draft.hr),
    spo2: num(draft.spo2),
    supportPerson: {
      adult: draft.supportAdult ?? false,
      presentWholeSession: draft.supportPresent ?? false,
      name: draft.supportName.trim(),
      phone: draft.supportPhone.trim(),
    },
    fasting: draft.fasting,
    noRecentSubstances: draft.recentSubstances === undefined ? undefined : !draft.recentSubstances,
    concomitantBpRaisingMeds: draft.bpMeds,
    moaasBaseline: draft.moaasBaseline,
    ...(draft.withQuestionnaires
      ? { phq9: draft.phq9 as number[], gad7: draft.gad7 as number[] }
      : {}),
  };
  const parsed = screeningSubmissionSchema.safeParse({ clientId: 'draft', ...body });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.');
      const field = FIELD_OF_PATH[path] ?? path;
      errors[field] ??= `Check this: it ${issue.message}.`;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, body: withoutClientId(parsed.data!) };
}
