import type { SymptomCode } from '@vigil/contracts';
import type { OutboxKind } from '@vigil/outbox';

/**
 * Plain words for the scales the clinicians use. MOAA/S is asked as what the support person
 * sees when they say the patient's name, so someone with no training can answer it.
 */
export const MOAAS_OPTIONS: ReadonlyArray<{ value: number; label: string }> = [
  { value: 5, label: 'Answers straight away, in a normal way' },
  { value: 4, label: 'Answers, but slowly or sleepily' },
  { value: 3, label: 'Answers only when the name is said loudly or again and again' },
  { value: 2, label: 'Answers only after a gentle shake' },
  { value: 1, label: 'Answers only after a firm squeeze of the shoulder' },
  { value: 0, label: 'Does not answer at all' },
];

export const MOAAS_QUESTION =
  "Support person: say the patient's name in a normal voice. What happens?";

/** What CLINICAL.md lists as "call emergency services now", in the words a frightened person reads. */
export const EMERGENCY_SIGNS = [
  'Chest pain',
  'Shortness of breath or trouble breathing',
  'A sudden, severe headache',
  'A change in eyesight',
  'A seizure (fit)',
  'Very hard to wake, or not responding',
  'Weakness or numbness on one side of the body',
] as const;

export const SYMPTOM_LABELS: Readonly<Record<SymptomCode, string>> = {
  chest_pain: 'Chest pain',
  shortness_of_breath: 'Short of breath',
  severe_headache: 'Sudden, severe headache',
  vision_change: 'Change in eyesight',
  seizure: 'Seizure (fit)',
  diminished_consciousness: 'Very hard to wake',
  focal_weakness: 'Weakness or numbness on one side',
  vomiting: 'Vomiting',
  other: 'Something else (say below)',
};

export const FREQUENCY_OPTIONS = [
  'Not at all',
  'Several days',
  'More than half the days',
  'Nearly every day',
] as const;

/** PHQ-9 (Kroenke, Spitzer & Williams 2001; free to use). Item 9 last, as the gate expects. */
export const PHQ9_ITEMS = [
  'Little interest or pleasure in doing things',
  'Feeling down, depressed, or hopeless',
  'Trouble falling or staying asleep, or sleeping too much',
  'Feeling tired or having little energy',
  'Poor appetite or overeating',
  'Feeling bad about yourself, or that you are a failure or have let yourself or your family down',
  'Trouble concentrating on things, such as reading or watching television',
  'Moving or speaking so slowly that other people could have noticed, or being so fidgety or restless that you have been moving around a lot more than usual',
  'Thoughts that you would be better off dead, or of hurting yourself in some way',
] as const;

/** GAD-7 (Spitzer et al. 2006; free to use). */
export const GAD7_ITEMS = [
  'Feeling nervous, anxious, or on edge',
  'Not being able to stop or control worrying',
  'Worrying too much about different things',
  'Trouble relaxing',
  'Being so restless that it is hard to sit still',
  'Becoming easily annoyed or irritable',
  'Feeling afraid, as if something awful might happen',
] as const;

export const QUESTIONNAIRE_STEM = 'Over the last 2 weeks, how often have you been bothered by:';

/** How the phone names what it sent, and where each item is. */
export const KIND_LABELS: Record<OutboxKind, string> = {
  checkin: 'Check-in',
  vitals: 'Blood pressure',
  help: 'Help request',
  screening: 'Pre-dose checks',
  dose: 'Dose',
  transition: 'Session step',
  message: 'Message',
};

export const STATUS_TEXT = {
  pending: 'Saved on this phone, not sent yet',
  delivered: 'Received by your care team',
  rejected: 'Not accepted',
} as const;
