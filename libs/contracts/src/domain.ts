/** Framework-free vocabulary shared by the API, the dashboard and the simulator (contract v1). */

export const ROLES = ['patient', 'clinician', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

export const SESSION_STATES = [
  'scheduled',
  'screening',
  'ready',
  'dosed',
  'monitoring',
  'recovery',
  'ended',
  'aborted',
] as const;
export type SessionState = (typeof SESSION_STATES)[number];

/** `?state=live` in the contract: a session somebody should be watching now. */
export const LIVE_STATES: readonly SessionState[] = [
  'screening',
  'ready',
  'dosed',
  'monitoring',
  'recovery',
];

export const SESSION_EVENT_TYPES = [
  'checkin.recorded',
  'vitals.recorded',
  'help.requested',
  'alert.raised',
  // v1.1: a change to an existing alert (value, priority, repeated help, reopened episode).
  'alert.updated',
  'alert.acknowledged',
  'alert.escalated',
  'alert.resolved',
  'session.state_changed',
  'note.added',
  'message.sent',
  'presence.changed',
  // v1 additive (session flow and alerts): old clients ignore types they do not know.
  'screening.submitted',
  'alert.silenced',
  // v1.1: a per-patient protocol override set or cleared while the session is live.
  'protocol.overridden',
] as const;
export type SessionEventType = (typeof SESSION_EVENT_TYPES)[number];

/**
 * The symptoms CLINICAL.md's alert table raises a high alert for at once (libs/clinical reads
 * them as EMERGENCY_SYMPTOMS), named once here and listed first among the symptom codes.
 */
export const EMERGENCY_SYMPTOM_CODES = [
  'chest_pain',
  'shortness_of_breath',
  'severe_headache',
  'vision_change',
  'seizure',
  'diminished_consciousness',
  'focal_weakness',
] as const;
export const SYMPTOM_CODES = [...EMERGENCY_SYMPTOM_CODES, 'vomiting', 'other'] as const;
export type SymptomCode = (typeof SYMPTOM_CODES)[number];

export const READING_KINDS = [
  'heart_rate',
  'bp_systolic',
  'bp_diastolic',
  'spo2',
  'resp_rate',
  'temperature',
] as const;
export type ReadingKind = (typeof READING_KINDS)[number];

/** Plausible ranges from the contract: a value outside is a device or typing error, not a reading. */
export const READING_RANGES: Readonly<
  Record<ReadingKind, { min: number; max: number; unit: string }>
> = {
  heart_rate: { min: 20, max: 250, unit: '/min' },
  bp_systolic: { min: 50, max: 300, unit: 'mm[Hg]' },
  bp_diastolic: { min: 20, max: 200, unit: 'mm[Hg]' },
  spo2: { min: 50, max: 100, unit: '%' },
  resp_rate: { min: 2, max: 80, unit: '/min' },
  temperature: { min: 30, max: 45, unit: 'Cel' },
};

export const ALERT_PRIORITIES = ['high', 'medium', 'low', 'info'] as const;
export type AlertPriority = (typeof ALERT_PRIORITIES)[number];

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/**
 * v1.1: where a reading came from. `device` (the default when absent) is streamed by a device;
 * `manual` was typed in. SpO2 and heart rate from a device are continuous streams (CLINICAL.md).
 */
export const READING_SOURCES = ['device', 'manual'] as const;
export type ReadingSource = (typeof READING_SOURCES)[number];
