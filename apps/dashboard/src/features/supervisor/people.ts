import type { AccountWithHistory } from '@vigil/contracts';

export interface PersonOption {
  /** What the filter sends: an account id, or a patient id for patients. */
  value: string;
  label: string;
}

const byLabel = (a: PersonOption, b: PersonOption) => a.label.localeCompare(b.label);

function label(a: AccountWithHistory, withRole: boolean): string {
  const parts = [withRole ? `${a.name} (${a.role})` : a.name];
  if (!a.active) parts.push('deactivated');
  return parts.join(', ');
}

/** Everyone who can appear as the one acting in the audit log, by name (account ids). */
export function peopleOptions(accounts: readonly AccountWithHistory[]): PersonOption[] {
  return accounts.map((a) => ({ value: a.id, label: label(a, true) })).sort(byLabel);
}

/** Patients by name, for filters that take a patient id. */
export function patientOptions(accounts: readonly AccountWithHistory[]): PersonOption[] {
  return accounts
    .filter((a) => a.role === 'patient' && a.patientId)
    .map((a) => ({ value: a.patientId ?? '', label: label(a, false) }))
    .sort(byLabel);
}

/** Patient names by patient id, to show names where rows carry ids. */
export function patientNames(accounts: readonly AccountWithHistory[]): Map<string, string> {
  return new Map(
    accounts.filter((a) => a.patientId).map((a) => [a.patientId ?? '', a.name] as const),
  );
}

/** Active clinicians by name (account ids), for assigning a session. */
export function clinicianOptions(accounts: readonly AccountWithHistory[]): PersonOption[] {
  return accounts
    .filter((a) => a.role === 'clinician' && a.active)
    .map((a) => ({ value: a.id, label: a.name }))
    .sort(byLabel);
}

/** The clinician assigned to a patient now (an assignment with no end), if any. */
export function currentClinician(
  accounts: readonly AccountWithHistory[],
  patientId: string,
): string | null {
  const patient = accounts.find((a) => a.patientId === patientId);
  const open = patient?.assignments.find((x) => x.validUntil === null);
  return open?.clinicianId ?? null;
}
