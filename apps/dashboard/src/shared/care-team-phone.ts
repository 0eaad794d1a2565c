/**
 * The clinic's number (SessionSummary.careTeamPhone), remembered on a phone that has shown a
 * patient's session, for the sign-in page: a login that ends mid-session (its 12-hour lifetime,
 * a logout in another tab) leaves the patient on a page with no help button, and the number is
 * what they need then. It is the clinic's number, not the patient's data: kept after logout.
 */
const KEY = 'vigil.careTeamPhone';

export function rememberCareTeamPhone(phone: string | null | undefined): void {
  if (!phone) return;
  try {
    localStorage.setItem(KEY, phone);
  } catch {
    // Storage full or refused: the sign-in page shows no number, as before.
  }
}

export function rememberedCareTeamPhone(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}
