/**
 * PHQ-9 and GAD-7 are weekly (CLINICAL.md). The API does not yet say when they were last
 * answered, so the phone remembers when it last sent them; a new phone asks again, which errs
 * on the safe side.
 */
const WEEK_MS = 7 * 24 * 3600_000;
const key = (userId: string) => `vigil.patient.questionnaires.${userId}`;

export function questionnairesDue(userId: string, now = Date.now()): boolean {
  const last = Date.parse(localStorage.getItem(key(userId)) ?? '');
  return !Number.isFinite(last) || now - last >= WEEK_MS - 12 * 3600_000;
}

export function markQuestionnairesAnswered(userId: string, now = Date.now()): void {
  localStorage.setItem(key(userId), new Date(now).toISOString());
}
